#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The libcluster authors
# SPDX-License-Identifier: BSD-3-Clause
# consume.sh BUILD_DIR CONSUMER_SOURCE WORK_DIR [EXTRA_CXX_FLAGS]
# Installs into a scratch prefix, moves the prefix elsewhere (installed programs must find the
# installed library from any prefix), runs the installed programs there, then builds and runs a
# consumer of the installed CMake package.
set -euo pipefail
build=$1 source=$2 work=$3 flags=${4:-}
rm -rf "$work"
cmake --install "$build" --prefix "$work/installed" --component Unspecified >/dev/null
# Installs nothing when the monitor is not built (no Qt Widgets).
cmake --install "$build" --prefix "$work/installed" --component monitor >/dev/null
mv "$work/installed" "$work/prefix"
prefix=$work/prefix
# Nothing but the installed tree may help the loader.
unset LD_LIBRARY_PATH
ran=0
for program in cluster-run cluster-monitor; do
    [ -e "$prefix/bin/$program" ] || continue
    if ! version=$(QT_QPA_PLATFORM=offscreen "$prefix/bin/$program" --version 2>&1); then
        echo "installed $program does not run from $prefix/bin: $version" >&2
        exit 1
    fi
    echo "installed $program runs: $version"
    ran=$((ran + 1))
done
if [ -d "$build/app/runner" ] && [ "$ran" -eq 0 ]; then
    echo "no installed program found in $prefix/bin" >&2
    exit 1
fi
cmake -S "$source" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
cmake --build "$work/consumer" >/dev/null
output=$("$work/consumer/consumer")
echo "$output"
[ "$output" = "primary: worker 1 online, replied pong" ]
