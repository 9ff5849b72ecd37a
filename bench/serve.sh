#!/usr/bin/env bash
# Save → served: starts `casebook serve` and Debian's `hugo server` on the same generated
# pages, then saves one page (a new title) again and again, alternating between the two,
# and polls each server until it serves the changed page with the new title, then until
# the section's list shows it. Prints the medians of each, and their ratio. Needs jieba
# for the generator (pip install jieba).
#   bench/serve.sh [PAGES] [SAVES]        e.g. bench/serve.sh 10000 7
# NO_BUILD=1 uses target/release/casebook as it is. CORPUS=DIR copies DIR/cPAGES and
# DIR/hPAGES (made before by gen_corpus.py, the latter with hugo-layouts) instead of
# generating the pages: at 10,000 pages that takes minutes.
set -euo pipefail
pages=${1:-1000}; saves=${2:-7}
here=$(cd "$(dirname "$0")/.." && pwd)
[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet --manifest-path "$here/Cargo.toml"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
if [ -n "${CORPUS:-}" ]; then
  mkdir -p "$work/c" "$work/h"
  cp -r "$CORPUS/c$pages/content" "$CORPUS/c$pages/site.toml" "$work/c/"
  cp -r "$CORPUS/h$pages/content" "$CORPUS/h$pages/hugo.toml" "$work/h/"
else
  python3 "$here/bench/gen_corpus.py" "$pages" "$work/c" >/dev/null
  python3 "$here/bench/gen_corpus.py" "$pages" "$work/h" --flavor hugo >/dev/null
  printf -- '---\ntitle: home\n---\n' > "$work/h/content/_index.md"
fi
cp -r "$here/bench/hugo-layouts" "$work/h/layouts"

"$here/target/release/casebook" serve --root "$work/c" --port 4610 > "$work/cb.log" 2>&1 &
pids+=($!)
hugo server -s "$work/h" --port 4611 --disableLiveReload > "$work/hugo.log" 2>&1 &
pids+=($!)
page=cases/p00003
up() { until curl -sf -o /dev/null "http://127.0.0.1:$1/$page/"; do sleep 0.2; done; }
up 4610; up 4611
sleep "${SETTLE:-5}" # let casebook's first search index finish
printf 'load average before the saves: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"

now() { date +%s%N; }
# save TOOL-DIR PORT N: sets a new title; prints the ms until the page shows it, and
# until its section's list does (polled gently: it is large).
save() {
  local file="$1/content/$page.md" mark="改稿$RANDOM$3"
  sed -i "s/^title: .*/title: $mark/" "$file"
  local start; start=$(now)
  until curl -sf "http://127.0.0.1:$2/$page/" | grep -q "$mark"; do :; done
  local served=$(( ($(now) - start) / 1000000 ))
  # Not grep -q: it would stop reading the large list, and curl fail on the closed pipe.
  until curl -sf "http://127.0.0.1:$2/cases/" | grep "$mark" >/dev/null; do sleep 0.02; done
  echo "$served $(( ($(now) - start) / 1000000 ))"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$work/t-cb"; : > "$work/t-hugo"
for n in $(seq "$saves"); do
  save "$work/c" 4610 "$n" >> "$work/t-cb"; sleep 1.5
  save "$work/h" 4611 "$n" >> "$work/t-hugo"; sleep 1.5
done
column() { cut -d' ' -f"$1" < "$2"; }
report() { # NAME FILE
  local page list
  page=$(column 1 "$2" | median); list=$(column 2 "$2" | median)
  printf '%s %s pages: page median %s ms (saves: %s), its list median %s ms\n' \
    "$1" "$pages" "$page" "$(column 1 "$2" | tr '\n' ' ')" "$list"
}
report 'casebook serve' "$work/t-cb"
report 'hugo server   ' "$work/t-hugo"
cb=$(column 1 "$work/t-cb" | median); hugo=$(column 1 "$work/t-hugo" | median)
awk -v a="$cb" -v b="$hugo" 'BEGIN { printf "casebook / hugo (page): %.2f\n", a / b }'
printf 'load average after the saves: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
