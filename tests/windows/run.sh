#!/usr/bin/env bash
# casebook on Windows, for real: cross-compiles the .exe (x86_64-pc-windows-gnu, with
# Debian's mingw-w64), then runs it under Debian's wine on a site with Chinese folder and
# file names: init, build twice (the second replaces the output), check and new. The
# site built on Windows must hold the same files, byte for byte, as the Linux build
# (a Word file's zip headers name the system that made it, so its members are compared).
#   KEEP=1 tests/windows/run.sh keeps the work folder for a look.
#   tests/windows/run.sh            (needs: wine, gcc-mingw-w64-x86-64, the rustup target)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
target=x86_64-pc-windows-gnu
cargo build --quiet --target "$target"
cargo build --quiet
exe="$here/target/$target/debug/casebook.exe"
linux="$here/target/debug/casebook"

work=$(mktemp -d)
export WINEPREFIX="$work/wine" WINEDEBUG=-all
trap 'wineserver -k >/dev/null 2>&1; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" \
  tests/windows/process_prng.c tests/windows/process_prng.def -ladvapi32
cp "$exe" "$work/"
win() { (cd "$work" && wine ./casebook.exe "$@"); }
wineboot --init >/dev/null 2>&1 || true  # wine sets up its prefix, noisily, once

fail() { echo "windows: $*" >&2; exit 1; }
site="学习站"
win init "$site" >/dev/null || fail "init failed"
[ -f "$work/$site/content/cases/三进下党.md" ] || fail "init wrote no Chinese-named page"
(cd "$work/$site" && wine ../casebook.exe new "案例/新的案例.md" >/dev/null) || fail "new failed"
[ -f "$work/$site/content/案例/新的案例.md" ] || fail "new wrote nothing"
# CRLF line endings and a BOM, as Notepad saves them.
printf '\xef\xbb\xbf---\r\ntitle: 记事本保存的页面\r\ndate: 1989-07\r\n---\r\n正文第一段。\r\n' \
  > "$work/$site/content/案例/记事本.md"
for pass in first second; do
  win build --quiet --root "$site" --output "$site/public" || fail "$pass build failed"
done
win check --root "$site" > "$work/check.txt" || fail "check failed: $(cat "$work/check.txt")"
[ -f "$work/$site/public/案例/记事本/index.html" ] || fail "the Notepad page is missing"

# The same site built on Linux.
cp -r "$work/$site" "$work/linux"
rm -rf "$work/linux/public" "$work/linux/.public.casebook-spare"
"$linux" build --quiet --root "$work/linux" --output "$work/linux/public"
(cd "$work/$site/public" && find . -type f ! -name .casebook-manifest | sort) > "$work/win.txt"
(cd "$work/linux/public" && find . -type f ! -name .casebook-manifest | sort) > "$work/linux.txt"
diff -u "$work/linux.txt" "$work/win.txt" || fail "the Windows build wrote other files"
# A Word file is a zip, whose headers name the system that made it: compare what it holds.
same_docx() {
  python3 - "$1" "$2" <<'PY'
import sys, zipfile
a, b = (zipfile.ZipFile(path) for path in sys.argv[1:])
names = a.namelist()
sys.exit(names != b.namelist() or any(a.read(n) != b.read(n) for n in names))
PY
}
while read -r file; do
  cmp -s "$work/linux/public/$file" "$work/$site/public/$file" && continue
  case "$file" in
    *.docx) same_docx "$work/linux/public/$file" "$work/$site/public/$file" && continue ;;
  esac
  fail "$file differs from the Linux build"
done < "$work/linux.txt"
echo "windows: init, new, build twice and check under wine; $(wc -l < "$work/win.txt") files identical to the Linux build (Word files by content)"
