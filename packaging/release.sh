#!/usr/bin/env bash
# Builds release archives for the editors' and admins' machines:
#   dist/casebook-<version>-x86_64-unknown-linux-gnu.tar.gz   (casebook, README, LICENSE)
#   dist/casebook-<version>-x86_64-pc-windows-gnu.zip         (casebook.exe, casebook-serve.bat, …)
# Needs: rustup target add x86_64-pc-windows-gnu, Debian's gcc-mingw-w64-x86-64, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
rm -rf dist && mkdir -p dist
for target in x86_64-unknown-linux-gnu x86_64-pc-windows-gnu; do
  cargo build --release --locked --quiet --target "$target"
  name="casebook-$version-$target"
  mkdir -p "dist/$name"
  cp README.md LICENSE CHANGELOG.md "dist/$name/"
  case "$target" in
    *windows*)
      cp "target/$target/release/casebook.exe" packaging/casebook-serve.bat "dist/$name/"
      (cd dist && python3 -m zipfile -c "$name.zip" "$name") ;;
    *)
      cp "target/$target/release/casebook" "dist/$name/"
      tar -C dist -czf "dist/$name.tar.gz" "$name" ;;
  esac
  rm -rf "dist/$name"
done
ls -l dist
