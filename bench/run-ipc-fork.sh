#!/bin/bash
# SPDX-FileCopyrightText: 2026 The libcluster authors
# SPDX-License-Identifier: BSD-3-Clause
# Runs libcluster's IPC echo and fork->online benchmarks side by side with Node's cluster peers
# (../shared/peers/node/ipc.js, fork.js), alternating ours/Node for a few rounds in ONE run on the
# same machine, and prints a markdown table of medians and ratios. The IPC rows also show the same
# echo over a bare socketpair (bench-socketpair), the ceiling of the machine.
#
# usage: bench/run-ipc-fork.sh
# env:   PEERS   the peers folder (default: ../shared/peers beside the repo)
#        ROUNDS  rounds per measure (default 3)
#        COUNT   messages per IPC run (default 100000)
#        FORKS   workers for the fork benchmark (default 8)
#        BUILD   build directory (default build)
# Ratios: msgs/s ratio = libcluster / Node (higher is better for us);
#         fork ratio = Node time / libcluster time (how many times faster we are).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
peers=${PEERS:-$here/../../shared/peers}
rounds=${ROUNDS:-3}
count=${COUNT:-100000}
forks=${FORKS:-8}
build=${BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
bin=$build/bin
# shellcheck source=bench/figures.sh
source "$here/figures.sh"

[ -f "$peers/node/ipc.js" ] && [ -f "$peers/node/fork.js" ] \
    || { echo "peer scripts not found in $peers/node (set PEERS)" >&2; exit 2; }
command -v node >/dev/null || { echo "node is not installed" >&2; exit 2; }

if [ ! -x "$bin/bench-ipc" ] || [ ! -x "$bin/bench-fork" ] || [ ! -x "$bin/bench-socketpair" ]; then
    echo "building libcluster in $build ..." >&2
    (cd "$root" && cmake -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2 && ninja -C "$build" >&2)
fi

# field NAME: the numeric value of "NAME" in the one JSON line on stdin.
field() { sed -n "s/.*\"$1\":\([-0-9.eE+]*\).*/\1/p" | head -n1; }
# run CMD...: runs one benchmark, echoes its JSON line to stderr (the log) and stdout.
run() {
    local out
    if ! out=$("$@" 2>&1 | grep '^{' | tail -n1) || [ -z "$out" ]; then
        echo "benchmark failed: $*" >&2; exit 1
    fi
    echo "  $out" >&2
    echo "$out"
}

declare -A result
rows=()

ipc_row() {
    local size=$1 ours=() copied=() theirs=() limits=() i j
    echo "IPC echo, $count msgs x $size B, $rounds rounds:" >&2
    for ((i = 0; i < rounds; i++)); do
        j=$(run "$bin/bench-ipc" "$count" "$size" shared | field msgs_per_s); ours+=("$j")
        j=$(run node "$peers/node/ipc.js" "$count" "$size" | field msgs_per_s); theirs+=("$j")
        j=$(run "$bin/bench-ipc" "$count" "$size" copied | field msgs_per_s); copied+=("$j")
        j=$(run "$bin/bench-socketpair" "$count" "$size" | field msgs_per_s); limits+=("$j")
    done
    local o c n l
    o=$(bench_median "${ours[@]}"); c=$(bench_median "${copied[@]}"); n=$(bench_median "${theirs[@]}"); l=$(bench_median "${limits[@]}")
    rows+=("| IPC echo, $size B msgs/s | $(printf '%.0f' "$n") | $(printf '%.0f' "$o") | $(bench_ratio "$o" "$n") | $(printf '%.0f' "$l") (libcluster $(awk -v o="$o" -v l="$l" 'BEGIN { printf "%.1f", 100 * o / l }') %) |")
    rows+=("| IPC echo, $size B, maps built key by key, msgs/s | $(printf '%.0f' "$n") | $(printf '%.0f' "$c") | $(bench_ratio "$c" "$n") | |")
}

fork_rows() {
    local key label ours_all=() theirs_all=() ours_p50=() theirs_p50=() ours_max=() theirs_max=() i out
    echo "fork -> online, $forks workers, $rounds rounds:" >&2
    for ((i = 0; i < rounds; i++)); do
        out=$(run "$bin/bench-fork" "$forks")
        ours_all+=("$(field all_online_ms <<<"$out")"); ours_p50+=("$(field p50_ms <<<"$out")"); ours_max+=("$(field max_ms <<<"$out")")
        out=$(run node "$peers/node/fork.js" "$forks")
        theirs_all+=("$(field all_online_ms <<<"$out")"); theirs_p50+=("$(field p50_ms <<<"$out")"); theirs_max+=("$(field max_ms <<<"$out")")
    done
    for key in all p50 max; do
        case $key in
            all) label="fork -> all $forks online, ms"; o=$(bench_median "${ours_all[@]}"); n=$(bench_median "${theirs_all[@]}") ;;
            p50) label="fork -> online p50, ms"; o=$(bench_median "${ours_p50[@]}"); n=$(bench_median "${theirs_p50[@]}") ;;
            max) label="fork -> online max, ms"; o=$(bench_median "${ours_max[@]}"); n=$(bench_median "${theirs_max[@]}") ;;
        esac
        rows+=("| $label | $(printf '%.1f' "$n") | $(printf '%.1f' "$o") | $(awk -v o="$o" -v n="$n" 'BEGIN { printf "%.1fx faster", n / o }') | |")
    done
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
ipc_row 64
ipc_row 1024
fork_rows
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "Medians of $rounds alternating rounds, $(nproc) CPUs, node $(node --version), $(date -u +%Y-%m-%dT%H:%MZ)."
echo "msgs/s ratio = libcluster / Node; fork ratio = Node time / libcluster time;"
echo "limit = the same echo over a bare socketpair (bench-socketpair), and libcluster as a share of it."
echo "Each message is a new map: a copy of one made up front (its payload's bytes shared, as ipc.js's"
echo "object refers to its one payload string), or built key by key with the payload copied in."
echo "Load average before: $load_before, after: $load_after (figures from a busy machine are noisy)."
echo
echo "| measure | Node | libcluster | ratio | socketpair limit |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
