#!/usr/bin/env bash
# Save → served: starts `casebook serve` and Debian's `hugo server` on the same generated
# pages, then saves one page (a new title) again and again, alternating between the two,
# and polls each server until it serves the changed page with the new title. Prints the
# median time of each, and their ratio. Needs jieba for the generator (pip install jieba).
#   bench/serve.sh [PAGES] [SAVES]        e.g. bench/serve.sh 10000 7
# NO_BUILD=1 uses target/release/casebook as it is.
set -euo pipefail
pages=${1:-1000}; saves=${2:-7}
here=$(cd "$(dirname "$0")/.." && pwd)
[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet --manifest-path "$here/Cargo.toml"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
python3 "$here/bench/gen_corpus.py" "$pages" "$work/c" >/dev/null
python3 "$here/bench/gen_corpus.py" "$pages" "$work/h" --flavor hugo >/dev/null
cp -r "$here/bench/hugo-layouts" "$work/h/layouts"
printf -- '---\ntitle: home\n---\n' > "$work/h/content/_index.md"

"$here/target/release/casebook" serve --root "$work/c" --port 4610 > "$work/cb.log" 2>&1 &
pids+=($!)
hugo server -s "$work/h" --port 4611 --disableLiveReload > "$work/hugo.log" 2>&1 &
pids+=($!)
page=cases/p00003
up() { until curl -sf -o /dev/null "http://127.0.0.1:$1/$page/"; do sleep 0.2; done; }
up 4610; up 4611
sleep 5 # let casebook's first search index finish

now() { date +%s%N; }
# save TOOL-DIR PORT N: sets a new title, prints the ms until the page shows it.
save() {
  local file="$1/content/$page.md" mark="改稿$RANDOM$3"
  sed -i "s/^title: .*/title: $mark/" "$file"
  local start; start=$(now)
  until curl -sf "http://127.0.0.1:$2/$page/" | grep -q "$mark"; do :; done
  echo $(( ($(now) - start) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$work/t-cb"; : > "$work/t-hugo"
for n in $(seq "$saves"); do
  save "$work/c" 4610 "$n" >> "$work/t-cb"; sleep 1.5
  save "$work/h" 4611 "$n" >> "$work/t-hugo"; sleep 1.5
done
cb=$(median < "$work/t-cb"); hugo=$(median < "$work/t-hugo")
printf 'casebook serve %s pages: median %s ms (saves: %s)\n' "$pages" "$cb" "$(tr '\n' ' ' < "$work/t-cb")"
printf 'hugo server    %s pages: median %s ms (saves: %s)\n' "$pages" "$hugo" "$(tr '\n' ' ' < "$work/t-hugo")"
awk -v a="$cb" -v b="$hugo" 'BEGIN { printf "casebook / hugo: %.2f\n", a / b }'
