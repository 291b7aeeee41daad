#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The libcluster authors
# SPDX-License-Identifier: BSD-3-Clause
# A rolling restart under keep-alive load, libcluster beside Node's cluster; prints a markdown table.
#
#   bench/run-restart.sh
#
# libcluster: `cluster-run --workers 4 --control NAME -- hello-http`, then `cluster-run ctl NAME
# restart` (it returns once the restart has finished) while wrk keeps 50 keep-alive connections
# busy. Node: bench/restart/node-restart.js, whose primary does the same restart on SIGUSR2 (fork
# a new worker, wait until it listens, disconnect an old one, wait until it has exited; one at a
# time). Measured: how long the restart took, and every error wrk saw during the whole load
# (socket errors connect/read/write/timeout, non-2xx answers), counted by a wrk done() hook.
# qhttp: the same as libcluster with httpserver-simple (Qt's QHttpServer example) as the worker.
#
# Environment (all optional):
#   ROUNDS       rounds over both servers, in alternating order (3)
#   DURATION     wrk's -d (10s)                  RESTART_AT  seconds into the load (2)
#   CONNECTIONS  wrk's -c (50)                   THREADS     wrk's -t (1)
#   WORKERS      worker processes per server (4)
#   BUILD_DIR    where cluster-run and hello-http are built (build, relative to the repository)
#   SERVERS      a subset of "libcluster node qhttp" (default: libcluster node)
#   KEEP_LOGS    1: keep the per-measurement logs (their folder is printed)
# The rest of the environment reaches every server, e.g. QT_LOGGING_RULES.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
source bench/common.sh

rounds=${ROUNDS:-3}
duration=${DURATION:-10s}
restart_at=${RESTART_AT:-2}
connections=${CONNECTIONS:-50}
threads=${THREADS:-1}
workers=${WORKERS:-4}
build=${BUILD_DIR:-build}
read -r -a servers <<<"${SERVERS:-libcluster node}"

number() { [[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "$1 must be a positive number (got '$2')" >&2; exit 2; }; }
number ROUNDS "$rounds"
number CONNECTIONS "$connections"
number THREADS "$threads"
number WORKERS "$workers"
[ "$workers" -le 64 ] || { echo "WORKERS must be at most 64 on this benchmark" >&2; exit 2; }
[[ $duration =~ ^([1-9][0-9]*)s?$ ]] || { echo "DURATION must be seconds, e.g. 10s" >&2; exit 2; }
seconds=${BASH_REMATCH[1]}
[[ $restart_at =~ ^[0-9]+$ ]] && [ "$restart_at" -lt "$seconds" ] \
    || { echo "RESTART_AT must be a whole number of seconds below DURATION" >&2; exit 2; }
for s in "${servers[@]}"; do
    case $s in libcluster | node | qhttp) ;; *) echo "unknown server $s (libcluster, node, qhttp)" >&2; exit 2 ;; esac
done

bench_need wrk node curl cmake ninja setsid
bench_build "$build" hello-http httpserver-simple cluster-run

logs=$(mktemp -d /tmp/bench-restart.XXXXXX)
audit=$logs/audit.lua
bench_write_audit "$audit"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# Waits (at most ~10 s) until $1 answers on port $2 and its log $3 matches $4 $5 times.
wait_ready() { bench_wait_ready "$1" "$2" bench_log_has "$3" "$4" "$5"; }

declare -A took errs requests

# One measurement: server $1, round $2.
measure() {
    local server=$1 round=$2 port log out pid began restart_ms=
    port=$(free_port)
    log=$logs/$server-$round.server
    out=$logs/$server-$round.wrk
    local name=bench-restart-$$-$round
    case $server in
    libcluster | qhttp)
        local program=$bin/hello-http
        [ "$server" = qhttp ] && program=$bin/httpserver-simple
        setsid "$bin/cluster-run" --workers "$workers" --control "$name" -- \
            "$program" --port "$port" >"$log" 2>&1 </dev/null &
        pid=$!
        started_group "$pid"
        wait_ready "$pid" "$port" "$log" '^worker .* | Worker .* started' "$workers" || {
            took[$server/$round]=-
            errs[$server/$round]="did not start"
            stop_group "$pid"
            return
        }
        ;;
    node)
        setsid node "$repo/bench/restart/node-restart.js" "$port" "$workers" >"$log" 2>&1 </dev/null &
        pid=$!
        started_group "$pid"
        wait_ready "$pid" "$port" "$log" '^ready' 1 || {
            took[$server/$round]=-
            errs[$server/$round]="did not start"
            stop_group "$pid"
            return
        }
        ;;
    esac

    wrk -t"$threads" -c"$connections" -d"$duration" -s "$audit" "http://127.0.0.1:$port/" >"$out" 2>&1 &
    wrk_pid=$!
    sleep "$restart_at"
    began=$(now_ms)
    case $server in
    libcluster | qhttp)
        # Returns once the restart has finished; bounded, as a restart that hangs is a result too.
        if timeout 120 "$bin/cluster-run" ctl "$name" restart >>"$log" 2>&1; then
            restart_ms=$(($(now_ms) - began))
        fi
        ;;
    node)
        kill -USR2 "$pid"
        local i
        for i in $(seq 1200); do
            grep -q '^restart-ms' "$log" && break
            alive "$pid" || break
            sleep 0.1
        done
        restart_ms=$(awk '/^restart-ms/ { print $2; exit }' "$log")
        ;;
    esac
    wait "$wrk_pid" || true
    wrk_pid=
    # Up to the 10-second drain for a worker still holding connections.
    stop_group "$pid" 15

    took[$server/$round]=${restart_ms:--}
    local line e
    line=$(grep -m1 '^Requests/sec audit:' "$out" || true)
    requests[$server/$round]=$(echo "$line" | awk '{ print $4 + 0 }')
    e=$(bench_audit_errors "$line")
    [ -z "$restart_ms" ] && e+="${e:+,}restart did not finish"
    errs[$server/$round]=$e
    printf '  round %d  %-10s restart %6s ms  %9s requests  errors: %s\n' "$round" "$server" \
        "${took[$server/$round]}" "${requests[$server/$round]}" "${errs[$server/$round]:-none}" >&2
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench/run-restart.sh: ${servers[*]} x $rounds rounds, $workers workers, wrk -t$threads" \
    "-c$connections -d$duration, restart after ${restart_at}s" >&2
for round in $(seq "$rounds"); do
    mapfile -t order < <(bench_round_order "$round" "${servers[@]}")
    for s in "${order[@]}"; do measure "$s" "$round"; done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# Median of the rounds' restart durations ("-" for one that did not finish counts as the longest).
median() {
    local r values=()
    for r in $(seq "$rounds"); do
        local v=${took[$1/$r]}
        [ "$v" = - ] && v=999999999
        values+=("$v")
    done
    printf '%s\n' "${values[@]}" | sort -n | awk '
        { v[NR] = $1 }
        END {
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            if (m >= 999999999) print "did not finish"; else printf "%.2f s", m / 1000
        }'
}
per_round() {
    local r out=()
    for r in $(seq "$rounds"); do
        local v=${took[$1/$r]} e=${errs[$1/$r]:-0 errors}
        [ "$v" != - ] && v=$(awk -v v="$v" 'BEGIN { printf "%.2f s", v / 1000 }')
        out+=("$v, ${requests[$1/$r]} requests, $e")
    done
    local IFS=';'
    echo "${out[*]}" | sed 's/;/; /g'
}
label() {
    case $1 in
    libcluster) echo "libcluster (cluster-run ctl NAME restart, hello-http)" ;;
    qhttp) echo "libcluster (cluster-run ctl NAME restart, httpserver-simple: QHttpServer)" ;;
    node) echo "Node $(node --version) cluster (fork, listening, disconnect, exit)" ;;
    esac
}
failed_total() { # wrk's errors over every round
    local r sum=0 part
    for r in $(seq "$rounds"); do
        for part in $(echo "${errs[$1/$r]}" | tr ',' '\n' | awk '{ print $NF }'); do
            [[ $part =~ ^[0-9]+$ ]] && sum=$((sum + part))
        done
    done
    echo "$sum"
}

echo
echo "## Rolling restart of $workers workers under keep-alive load: wrk -t$threads -c$connections" \
    "-d$duration, restart ${restart_at}s in; $rounds rounds"
echo
echo "Machine: $(nproc) cores; load average $load_start at the start, $load_end at the end;" \
    "hello-http built $build_type in $build."
echo
echo "| server | restart (median) | failed requests (all rounds) | every round (restart, requests, errors) |"
echo "|---|---:|---:|---|"
for s in "${servers[@]}"; do
    echo "| $(label "$s") | $(median "$s") | $(failed_total "$s") | $(per_round "$s") |"
done
bench_report_leftovers
[ "${KEEP_LOGS:-0}" = 1 ] && echo "Logs: $logs"
exit 0
