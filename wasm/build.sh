#!/bin/sh
# build.sh DIR builds posturekit.wasm as the page ships it and copies the
# wasm_exec.js of the same toolchain beside it. Run from anywhere.
set -eu
out=${1:?usage: wasm/build.sh OUTPUT_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")/.."
GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o "$out/posturekit.wasm" ./wasm
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$out/wasm_exec.js"
