#!/usr/bin/env bash
# Builds the same generated pages with casebook and Debian's hugo, alternating, and
# prints the median wall time and peak memory of each. Needs Debian's hugo and jieba's
# word list for the generator (pip install jieba).
#   bench/compare.sh [PAGES] [RUNS]        e.g. bench/compare.sh 10000 5
set -euo pipefail
pages=${1:-10000}; runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 "$here/bench/gen_corpus.py" "$pages" "$work/c"
python3 "$here/bench/gen_corpus.py" "$pages" "$work/h" --flavor hugo
cp -r "$here/bench/hugo-layouts" "$work/h/layouts"
printf -- '---\ntitle: home\n---\n' > "$work/h/content/_index.md"

measure() { # prints "seconds kilobytes" of one run
  /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null 2>&1; cat "$work/t"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$work/cb"; : > "$work/hugo"
for _ in $(seq "$runs"); do
  measure "$here/target/release/casebook" build --quiet --root "$work/c" --output "$work/c/out" >> "$work/cb"
  measure hugo --quiet -s "$work/h" -d "$work/h/out" >> "$work/hugo"
done
for tool in cb hugo; do
  s=$(cut -d' ' -f1 "$work/$tool" | median); k=$(cut -d' ' -f2 "$work/$tool" | median)
  printf '%-8s %s pages: median %s s, peak %s MiB (runs: %s)\n' "$tool" "$pages" "$s" "$((k / 1024))" "$(cut -d' ' -f1 "$work/$tool" | tr '\n' ' ')"
done
