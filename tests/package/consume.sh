#!/usr/bin/env bash
# consume.sh BUILD_DIR CONSUMER_SOURCE WORK_DIR [EXTRA_CXX_FLAGS]
set -euo pipefail
build=$1 source=$2 work=$3 flags=${4:-}
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" --component Unspecified >/dev/null
cmake -S "$source" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
cmake --build "$work/consumer" >/dev/null
output=$("$work/consumer/consumer")
echo "$output"
[ "$output" = "primary: worker 1 online, replied pong" ]
