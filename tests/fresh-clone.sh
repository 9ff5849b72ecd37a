#!/usr/bin/env bash
# The README's first steps, as a newcomer types them: clones this repository's HEAD
# (what is committed, as CI's clean checkout is) into a temp folder, reads the block after
# "Then start a site of your own:" from the clone's README.md and runs it line by line in
# a folder of its own (`casebook serve` in the background until it names the site
# folder). Every step must succeed and speak Chinese.
#
#   tests/fresh-clone.sh            casebook is this checkout's target/debug/casebook
#                                   (CI's: `cargo test` built it)
#   tests/fresh-clone.sh --install  casebook is installed from the clone with the
#                                   README's own `cargo install --locked --path .`
#
# --install is not CI's default: on the 2-core CI machine it is a full release build,
# measured at 5 min 7 s wall and 6 min 13 s of CPU, against a few seconds for the rest.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "fresh clone: $*" >&2; exit 1; }
# A newcomer has no CASEBOOK_LANG: the site's language (zh-CN) decides.
unset CASEBOOK_LANG

git clone --quiet "$repo" "$work/casebook"
readme="$work/casebook/README.md"
mkdir "$work/bin" "$work/home"
if [ "${1:-}" = --install ]; then
  grep -qx '    cargo install --locked --path \.' "$readme" || fail "README.md no longer says how to install"
  (cd "$work/casebook" && cargo install --quiet --locked --path . --root "$work/cargo") \
    || fail "cargo install --locked --path . failed in a fresh clone"
  ln -s "$work/cargo/bin/casebook" "$work/bin/casebook"
else
  [ -x "$repo/target/debug/casebook" ] || (cd "$repo" && cargo build --quiet)
  ln -s "$repo/target/debug/casebook" "$work/bin/casebook"
fi
export PATH="$work/bin:$PATH"

steps=$(awk '/^Then start a site of your own:/ { on = 1; next }
             on && /^    / { print substr($0, 5); next }
             on && NF { exit }' "$readme")
[ -n "$steps" ] || fail "README.md has no first steps after \"Then start a site of your own:\""
said="$work/said.txt"
cd "$work/home"
while IFS= read -r line; do
  step=${line%%#*}
  case "$step" in
    *"casebook serve"*)
      eval "$step" >"$work/serve.txt" 2>&1 &
      server=$!
      # It names the site folder in full: the one holding site.toml.
      folder=
      for _ in $(seq 100); do
        folder=$(sed -n 's/^正在预览 \(\/.*\)：请在浏览器里打开 http.*/\1/p' "$work/serve.txt")
        [ -n "$folder" ] && break
        kill -0 "$server" 2>/dev/null || fail "\`$step\` stopped: $(cat "$work/serve.txt")"
        sleep 0.2
      done
      [ -f "$folder/site.toml" ] \
        || fail "\`$step\` did not name the site folder: $(cat "$work/serve.txt")"
      kill "$server"
      server=
      ;;
    *)
      eval "$step" >>"$said" 2>&1 || fail "\`$step\` failed in $(pwd):
$(cat "$said")"
      ;;
  esac
done <<<"$steps"

for phrase in "已在 我的学习站 新建网站" "已生成 " "已新建 " "：0 个错误"; do
  grep -q "$phrase" "$said" || fail "no \"$phrase\" in what casebook said:
$(cat "$said")"
done
[ -f "$work/home/我的学习站/public/index.html" ] || fail "casebook build wrote no public/index.html"
[ -f "$work/home/我的学习站/content/cases/新案例.md" ] || fail "casebook new wrote no page"
echo "fresh clone: the README's first steps work ($(wc -l <<<"$steps") lines)"
