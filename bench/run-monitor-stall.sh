#!/bin/bash
# SPDX-FileCopyrightText: 2026 The libcluster authors
# SPDX-License-Identifier: BSD-3-Clause
# Runs bench-monitor-stall (the monitor window, 64 workers, 5,000 events a second for 10 s) for a
# few rounds and prints each round's worst stall with the load average around it, then the worst
# and the median of the rounds. With COMPARE set, the rounds alternate between two builds (e.g.
# before and after a change), so both see the same machine.
#
# usage: bench/run-monitor-stall.sh
# env:   ROUNDS   rounds per build (default 5)
#        BUILD    build directory (default build)
#        COMPARE  a second build directory to alternate with (default: none)
#        ARGS     more arguments for bench-monitor-stall (e.g. "--panel output")
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-5}
# shellcheck source=bench/figures.sh
source "$here/figures.sh"
absolute() { case $1 in /*) echo "$1" ;; *) echo "$root/$1" ;; esac; }
builds=("$(absolute "${BUILD:-build}")")
[ -n "${COMPARE:-}" ] && builds+=("$(absolute "$COMPARE")")
for build in "${builds[@]}"; do
    [ -x "$build/bin/bench-monitor-stall" ] \
        || { echo "no $build/bin/bench-monitor-stall: build the target bench-monitor-stall" >&2; exit 2; }
done
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}

declare -A stalls
for round in $(seq 1 "$rounds"); do
    for build in "${builds[@]}"; do
        load_before=$(cut -d' ' -f1-3 /proc/loadavg)
        # --max-stall high: a slow round is a figure here, not a failure.
        out=$("$build/bin/bench-monitor-stall" --max-stall 100000 ${ARGS:-} 2>/dev/null)
        load_after=$(cut -d' ' -f1-3 /proc/loadavg)
        stall=$(sed -n 's/^worst stall: *\([0-9.]*\) ms.*/\1/p' <<<"$out")
        p99=$(sed -n 's/.*p99 gap \([0-9.]*\) ms.*/\1/p' <<<"$out")
        cpu=$(sed -n 's/^monitor CPU: *\([0-9]*\) %.*/\1/p' <<<"$out")
        busiest=$(sed -n 's/^busiest gap: *\([0-9.]*\) ms.*/\1/p' <<<"$out")
        # The worst gap's own CPU time and its wait in the run queue: work of the monitor's, or
        # time the machine gave to other processes.
        worst_cpu=$(sed -n "s/^worst gap's work: *\([0-9.]*\) ms of CPU.*/\1/p" <<<"$out")
        worst_wait=$(sed -n "s/^worst gap's work:.*; *\([-0-9.]*\) ms waiting.*/\1/p" <<<"$out")
        [ -n "$stall" ] || { echo "round $round in $build: no result" >&2; echo "$out" >&2; exit 1; }
        stalls[$build]+="$stall "
        printf '%s round %d: worst stall %6.1f ms (its CPU %4.1f ms, run-queue wait %4.1f ms), p99 %5.1f ms, most CPU in a gap %4.1f ms, CPU %3s %%; load %s -> %s\n' \
            "$build" "$round" "$stall" "${worst_cpu:-0}" "${worst_wait:--1}" "$p99" "${busiest:-0}" "$cpu" "$load_before" "$load_after"
    done
done
echo
echo "Machine: $(nproc) cores. Worst stall over $rounds rounds of 10 s (64 workers, 5,000 events/s):"
for build in "${builds[@]}"; do
    read -r -a values <<<"${stalls[$build]}"
    sorted=$(printf '%s\n' "${values[@]}" | sort -n)
    worst=$(tail -n1 <<<"$sorted")
    median=$(bench_median "${values[@]}")
    echo "  $build: worst $worst ms, median $median ms (rounds: ${stalls[$build]% })"
done
