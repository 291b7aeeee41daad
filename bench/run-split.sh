#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The libcluster authors
# SPDX-License-Identifier: BSD-3-Clause
# How wrk's keep-alive connections split between the workers: hello-http under RoundRobin beside
# Node's cluster rr, each started fresh every round; while wrk runs, the connections each worker
# process holds are counted with ss. The split made at wrk's opening burst lasts as long as the
# connections do, so an uneven one halves a worker's share of the load for the whole run.
#
#   bench/run-split.sh
#   ROUNDS=10 CONNECTIONS=8 bench/run-split.sh
#
# Environment (all optional): ROUNDS (5), CONNECTIONS (50), WORKERS (2), DURATION (3s, wrk's -d;
# the count is taken half way), SERVERS (rr node-rr), BUILD_DIR (build), PEERS
# (<repo>/../shared/peers, for Node's http.js).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
source bench/common.sh

rounds=${ROUNDS:-5}
connections=${CONNECTIONS:-50}
workers=${WORKERS:-2}
duration=${DURATION:-3s}
build=${BUILD_DIR:-build}
peers=${PEERS:-$repo/../shared/peers}
read -r -a servers <<<"${SERVERS:-rr node-rr}"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive number" >&2; exit 2; }
[[ $connections =~ ^[1-9][0-9]*$ ]] || { echo "CONNECTIONS must be a positive number" >&2; exit 2; }
[[ $workers =~ ^[1-9][0-9]?$ ]] || { echo "WORKERS must be 1 to 99" >&2; exit 2; }
[[ $duration =~ ^[1-9][0-9]*s$ ]] || { echo "DURATION must be whole seconds, e.g. 3s" >&2; exit 2; }
for s in "${servers[@]}"; do
    case $s in rr | none | reuseport | leastconn | sticky | node-rr | node-none) ;;
    *) echo "unknown server $s" >&2; exit 2 ;; esac
done

bench_need wrk node curl cmake ninja ss
bench_build "$build" hello-http
logs=$(mktemp -d /tmp/bench-split.XXXXXX)

# One round: server $1; prints the connections per worker, largest first ("25/25").
# True when process $1 has at least $2 children: its workers are forked.
has_children() { [ "$(pgrep -c -P "$1")" -ge "$2" ]; }

measure() {
    local server=$1 port pid log ready=0 split
    port=$(free_port)
    log=$logs/$server.log
    case $server in
    node-*)
        [ -f "$peers/node/http.js" ] || { echo "no $peers/node/http.js (set PEERS)" >&2; exit 2; }
        NODE_CLUSTER_SCHED_POLICY=${server#node-} setsid node "$peers/node/http.js" "$port" \
            "$workers" >"$log" 2>&1 </dev/null &
        ;;
    *) setsid "$bin/hello-http" --workers "$workers" --port "$port" --policy "$server" \
        >"$log" 2>&1 </dev/null & ;;
    esac
    pid=$!
    started_group "$pid"
    bench_wait_ready "$pid" "$port" has_children "$pid" "$workers" && ready=1
    if [ $ready = 0 ]; then
        stop_group "$pid"
        echo "no answer"
        return
    fi
    wrk -t1 -c"$connections" -d"$duration" "http://127.0.0.1:$port/" >"$logs/wrk.out" 2>&1 &
    wrk_pid=$!
    sleep "$(awk -v d="${duration%s}" 'BEGIN { print d / 2 }')"
    split=$(ss -tnpH state established "( sport = :$port )" | grep -o 'pid=[0-9]*' | sort \
        | uniq -c | awk '{ print $1 }' | sort -rn | paste -sd/)
    wait "$wrk_pid" || true
    wrk_pid=
    stop_group "$pid"
    echo "${split:-none}"
}

declare -A splits
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench/run-split.sh: ${servers[*]} x $rounds rounds, wrk -t1 -c$connections, $workers workers" >&2
for round in $(seq "$rounds"); do
    mapfile -t order < <(bench_round_order "$round" "${servers[@]}")
    for s in "${order[@]}"; do
        measure "$s" >"$logs/result" # not in a subshell: the groups it starts are counted
        result=$(cat "$logs/result")
        splits[$s]="${splits[$s]:-}${splits[$s]:+, }$result"
        printf '  round %d  %-9s %s  (load %s)\n' "$round" "$s" "$result" \
            "$(cut -d' ' -f1 /proc/loadavg)" >&2
    done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "## Keep-alive connections per worker: wrk -t1 -c$connections, $workers workers, $rounds rounds"
echo
echo "Machine: $(nproc) cores; load average $load_start at the start, $load_end at the end."
echo
echo "| server | connections per worker, each round | even rounds |"
echo "|---|---|---:|"
even=$(awk -v c="$connections" -v w="$workers" 'BEGIN { printf "%d", c / w }')
for s in "${servers[@]}"; do
    n=$(echo "${splits[$s]}" | tr ',' '\n' | awk -v e="$even" -v w="$workers" '
        { gsub(/ /, ""); k = split($0, v, "/"); ok = (k == w)
          for (i = 1; i <= k; i++) if (v[i] < e || v[i] > e + 1) ok = 0
          n += ok }
        END { print n + 0 }')
    case $s in node-*) label="Node cluster ${s#node-}" ;; *) label="libcluster $s (hello-http)" ;; esac
    echo "| $label | ${splits[$s]} | $n of $rounds |"
done
bench_report_leftovers
