#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The libcluster authors
# SPDX-License-Identifier: BSD-3-Clause
# Loads hello-http (each policy), Node's cluster and nginx with wrk; prints a markdown table.
# Also the httpserver-simple example (Qt's QHttpServer "simple" example, clustered) on its "/"
# route, clustered and in one process, when SERVERS names it:
#
#   bench/run-http.sh
#   SERVERS="qhttp-single qhttp-rr qhttp-reuseport node-rr" LOADS=keepalive ROUNDS=3 bench/run-http.sh
#
# Environment (all optional):
#   DURATION     wrk's -d per measurement (5s)        ROUNDS   rounds over every server (2)
#   CONNECTIONS  wrk's -c (50)                        THREADS  wrk's -t (1)
#   WORKERS      worker processes per server (2)      AGG      median | max over the rounds (median)
#   BUILD_DIR    where hello-http is built (build, relative to the repository)
#   PEERS        the peer scripts (<repo>/../shared/peers)
#   WAIT_QUIET   a 1-minute load average (e.g. 0.5): wait, at most 5 minutes, for the machine to be
#                that quiet before starting; the figures are only comparable within one run anyway.
#   KEEP_LOGS    1: keep the per-measurement logs (their folder is printed)
#   SERVERS      a subset, e.g. "rr node-rr" (default: rr none reuseport leastconn sticky node-rr
#                node-none nginx); the ratio lines need their servers in it. Also qhttp-POLICY
#                (httpserver-simple, WORKERS workers) and qhttp-single (httpserver-simple
#                --workers 0: the same QHttpServer in one process, no cluster)
#   LOADS        a subset of "keepalive close idle" (default: all three). idle: keep-alive as
#                keepalive, while IDLE (4000) more connections stay open without a request, as a
#                server's idle clients do (held by bench/idle/idle-clients.js, with node)
# The rest of the environment reaches every server, e.g. QT_LOGGING_RULES.
#
# Every measurement starts its server fresh on a free port and stops it afterwards (the whole
# process group). The order of the measurements is reversed every other round so that a slow
# phase of the machine does not always hit the same server. Errors wrk saw (socket errors,
# non-2xx answers) are counted through a wrk done() hook, the same for every server: the peers'
# scripts only pass through wrk's lines that contain "Requests/sec", so the hook prints such a line.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
source bench/common.sh
source bench/figures.sh

duration=${DURATION:-5s}
rounds=${ROUNDS:-2}
connections=${CONNECTIONS:-50}
threads=${THREADS:-1}
workers=${WORKERS:-2}
agg=${AGG:-median}
build=${BUILD_DIR:-build}
peers=${PEERS:-$repo/../shared/peers}
policies=(rr none reuseport leastconn sticky)
idle=${IDLE:-4000}
read -r -a loads <<<"${LOADS:-keepalive close idle}"
for l in "${loads[@]}"; do
    case $l in keepalive | close | idle) ;; *) echo "unknown load $l" >&2; exit 2 ;; esac
done
[[ $idle =~ ^[0-9]+$ ]] || { echo "IDLE must be a number" >&2; exit 2; }

case $agg in median | max) ;; *) echo "AGG must be median or max" >&2; exit 2 ;; esac
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive number" >&2; exit 2; }
[ -f "$peers/node/run_http.sh" ] && [ -f "$peers/nginx/run_http.sh" ] \
    || { echo "no peer scripts in $peers (set PEERS)" >&2; exit 2; }

bench_need wrk nginx node curl cmake ninja
bench_build "$build" hello-http httpserver-simple
hello=$bin/hello-http
simple=$bin/httpserver-simple

if [ -n "${WAIT_QUIET:-}" ]; then
    for _ in $(seq 300); do
        awk -v t="$WAIT_QUIET" '{ exit !($1 < t) }' /proc/loadavg && break
        sleep 1
    done
fi

logs=$(mktemp -d /tmp/bench-http.XXXXXX)
audit=$logs/audit.lua
bench_write_audit "$audit"

# Runs "$@" in a new session (its own process group), bounded in time; output to file $1.
run_bounded() {
    local out=$1 limit=$2 pid deadline
    shift 2
    setsid "$@" >"$out" 2>&1 </dev/null &
    pid=$!
    started_group "$pid"
    deadline=$((SECONDS + limit))
    while alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.2 & wait $!; done
    alive "$pid" && echo "killed after ${limit}s" >>"$out"
    stop_group "$pid"
}

wrk_args() { echo "-t$threads -c$connections -d$duration -s $audit"; }
# The idle load runs bench/idle/wrk in wrk's place, for the peers' scripts too.
export REAL_WRK
REAL_WRK=$(command -v wrk)
export IDLE_CONNECTIONS=$idle
path_for() { # $1 = load
    if [ "$1" = idle ]; then echo "$repo/bench/idle:$PATH"; else echo "$PATH"; fi
}
# How long one measurement may take, server start and stop included.
bound=600
[[ $duration =~ ^[0-9]+s?$ ]] && bound=$((${duration%s} + 60))

declare -A rps errs

# One measurement: server $1, load $2 (keepalive | close), round $3.
measure() {
    local server=$1 load=$2 round=$3 out port pid ready=0
    out=$logs/$server-$load-$round.out
    local hdr=() path
    [ "$load" = close ] && hdr=(-H 'Connection: close')
    path=$(path_for "$load")
    port=$(free_port)
    case $server in
    node-rr | node-none)
        run_bounded "$out" "$bound" env PATH="$path" PORT="$port" bash "$peers/node/run_http.sh" "${server#node-}" \
            "$workers" $(wrk_args) "${hdr[@]}"
        ;;
    nginx)
        run_bounded "$out" "$bound" env PATH="$path" PORT="$port" bash "$peers/nginx/run_http.sh" \
            $(wrk_args) "${hdr[@]}"
        ;;
    *)
        local log=$logs/$server-$load-$round.server cmd need=$workers
        case $server in
        qhttp-single) cmd=("$simple" --workers 0 --port "$port") need=0 ;;
        qhttp-*) cmd=("$simple" --workers "$workers" --port "$port" --policy "${server#qhttp-}") ;;
        *) cmd=("$hello" --workers "$workers" --port "$port" --policy "$server") ;;
        esac
        setsid "${cmd[@]}" >"$log" 2>&1 </dev/null &
        pid=$!
        started_group "$pid"
        bench_wait_ready "$pid" "$port" bench_log_has "$log" '^Worker .* started' "$need" && ready=1
        if [ $ready = 1 ]; then
            # In the background, so that a signal to this script is handled at once.
            timeout --foreground "$bound" env PATH="$path" wrk $(wrk_args) "${hdr[@]}" "http://127.0.0.1:$port/" \
                >"$out" 2>&1 &
            wrk_pid=$!
            wait "$wrk_pid" || true
            wrk_pid=
        else
            echo "server did not answer" >"$out"
        fi
        stop_group "$pid"
        ;;
    esac

    local value audit_line
    value=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    audit_line=$(grep -m1 '^Requests/sec audit:' "$out" || true)
    rps[$server/$load/$round]=${value:-0}
    if [ -z "$audit_line" ]; then
        errs[$server/$load/$round]="no result: $(grep -v '^ *Latency' "$out" | head -c 120 | tr '\n' ' ')"
    else
        errs[$server/$load/$round]=$(bench_audit_errors "$audit_line")
    fi
    printf '  round %d  %-10s %-9s %10s req/s  %s\n' "$round" "$server" "$load" "${value:-0}" \
        "${errs[$server/$load/$round]}" >&2
}

read -r -a servers <<<"${SERVERS:-${policies[*]} node-rr node-none nginx}"
for s in "${servers[@]}"; do
    case " ${policies[*]} node-rr node-none nginx qhttp-single ${policies[*]/#/qhttp-} " in
    *" $s "*) ;;
    *) echo "unknown server $s" >&2; exit 2 ;;
    esac
done
jobs=()
for s in "${servers[@]}"; do
    for l in "${loads[@]}"; do jobs+=("$s $l"); done
done

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench/run-http.sh: ${#servers[@]} servers x ${#loads[@]} loads x $rounds rounds, wrk -t$threads -c$connections -d$duration" >&2
for round in $(seq "$rounds"); do
    mapfile -t order < <(bench_round_order "$round" "${jobs[@]}")
    for job in "${order[@]}"; do
        measure $job "$round"
    done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# Aggregate over the rounds: median (mean of the middle two for an even count) or max.
aggregate() { # $1 = server, $2 = load
    local r values=()
    for r in $(seq "$rounds"); do values+=("${rps[$1/$2/$r]}"); done
    printf '%s\n' "${values[@]}" | sort -g | awk -v agg="$agg" '
        { v[NR] = $1 }
        END {
            if (agg == "max") { printf "%.0f", v[NR]; exit }
            if (NR % 2) printf "%.0f", v[(NR + 1) / 2]
            else printf "%.0f", (v[NR / 2] + v[NR / 2 + 1]) / 2
        }'
}
rounds_of() { # all rounds' figures, "a / b"
    local r out=()
    for r in $(seq "$rounds"); do out+=("$(printf '%.0f' "${rps[$1/$2/$r]}")"); done
    local IFS=/
    echo "${out[*]}" | sed 's|/| / |g'
}
errors_of() {
    local s=$1 load r out=()
    for load in "${loads[@]}"; do
        for r in $(seq "$rounds"); do
            [ -n "${errs[$s/$load/$r]}" ] && out+=("$load r$r: ${errs[$s/$load/$r]}")
        done
    done
    [ ${#out[@]} = 0 ] && echo none || (IFS=';'; echo "${out[*]}" | sed 's/;/; /g')
}
label() {
    case $1 in
    rr) echo "libcluster RoundRobin (rr)" ;;
    none) echo "libcluster None (shared socket)" ;;
    reuseport) echo "libcluster ReusePort" ;;
    leastconn) echo "libcluster LeastConnections" ;;
    sticky) echo "libcluster Sticky" ;;
    node-rr) echo "Node cluster rr" ;;
    node-none) echo "Node cluster none" ;;
    nginx) echo "nginx reuseport" ;;
    qhttp-single) echo "QHttpServer example, one process" ;;
    qhttp-*) echo "QHttpServer example, $(label "${1#qhttp-}" | sed 's/^libcluster //')" ;;
    esac
}
heading() {
    case $1 in
    keepalive) echo "keep-alive" ;;
    close) echo "\`Connection: close\`" ;;
    idle) echo "keep-alive, $(bench_group "$idle") idle connections" ;;
    esac
}

declare -A final
for s in "${servers[@]}"; do
    for load in "${loads[@]}"; do final[$s/$load]=$(aggregate "$s" "$load"); done
done
row() { # $1 = first cell, then one cell per load
    local out="| $1 |"
    shift
    local cell
    for cell in "$@"; do out+=" $cell |"; done
    echo "$out"
}

echo
echo "## HTTP hello world, $workers workers each: wrk -t$threads -c$connections -d$duration, $agg of $rounds rounds"
echo
echo "Machine: $(nproc) cores; load average $load_start at the start, $load_end at the end;" \
    "hello-http built $build_type in $build."
echo
cells=()
for load in "${loads[@]}"; do cells+=("$(heading "$load") req/s"); done
row server "${cells[@]}" "errors (wrk)"
cells=()
for load in "${loads[@]}"; do cells+=("---:"); done
row "---" "${cells[@]}" "---"
for s in "${servers[@]}"; do
    cells=()
    for load in "${loads[@]}"; do cells+=("$(bench_group "${final[$s/$load]}")"); done
    row "$(label "$s")" "${cells[@]}" "$(errors_of "$s")"
done
echo
measured() { case " ${servers[*]} " in *" $1 "*) return 0 ;; esac; return 1; }
if measured rr || ! measured qhttp-single; then
    echo "- RoundRobin vs Node rr, keep-alive: $(bench_ratio "${final[rr/keepalive]:-0}" "${final[node-rr/keepalive]:-0}" 1.5)"
    echo "- RoundRobin vs Node rr, close: $(bench_ratio "${final[rr/close]:-0}" "${final[node-rr/close]:-0}" 1.5)"
    echo "- ReusePort vs nginx, close: $(bench_ratio "${final[reuseport/close]:-0}" "${final[nginx/close]:-0}" 0.7)"
    echo "- RoundRobin vs Node rr, keep-alive with idle connections: $(bench_ratio "${final[rr/idle]:-0}" "${final[node-rr/idle]:-0}")"
fi
for s in qhttp-rr qhttp-reuseport; do
    measured "$s" || continue
    for load in "${loads[@]}"; do
        echo "- $(label "$s") vs one process, $(heading "$load"): $(bench_ratio "${final[$s/$load]:-0}" "${final[qhttp-single/$load]:-0}")"
        echo "- $(label "$s") vs Node rr, $(heading "$load"): $(bench_ratio "${final[$s/$load]:-0}" "${final[node-rr/$load]:-0}")"
    done
done
echo
echo "<details><summary>every round (req/s, in round order)</summary>"
echo
row server "${loads[@]}"
cells=()
for load in "${loads[@]}"; do cells+=("---"); done
row "---" "${cells[@]}"
for s in "${servers[@]}"; do
    cells=()
    for load in "${loads[@]}"; do cells+=("$(rounds_of "$s" "$load")"); done
    row "$(label "$s")" "${cells[@]}"
done
echo
echo "</details>"

# Nothing of ours may survive the run.
bench_report_leftovers
[ "${KEEP_LOGS:-0}" = 1 ] && echo "Logs: $logs"
exit 0
