#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The libcluster authors
# SPDX-License-Identifier: BSD-3-Clause
# How cost grows: hello-http under RoundRobin and ReusePort beside Node's cluster rr, in one run,
# as the workers, the idle connections and the forks grow. Prints markdown tables on stdout, the
# progress on stderr:
#   (a) wrk's req/s, keep-alive and `Connection: close`, and the primary's CPU over the wrk run
#       (utime + stime from /proc/PID/stat, as % of one core), for 1 to 64 workers;
#   (b) keep-alive req/s while 0, 4,000 and 20,000 more connections stay open and idle (held by
#       bench/idle/idle-clients.js), with WORKERS workers;
#   (c) fork -> all online for 1, 8 and 64 workers: bench-fork beside Node's fork.js.
#
#   bench/run-scaling.sh
#   WORKER_COUNTS="1 2 8" IDLE_COUNTS="0 4000" FORK_COUNTS=8 ROUNDS=1 DURATION=2s bench/run-scaling.sh
#   PARTS=idle bench/run-scaling.sh
#
# Environment (all optional):
#   ROUNDS         rounds over every server; each figure is the median (3)
#   DURATION       wrk's -d per measurement (5s)   CONNECTIONS  wrk's -c (50)   THREADS  wrk's -t (1)
#   WARMUP         an unmeasured wrk run of this length first, on the same server (3s; 0s for
#                  none): Node's workers each warm up their JIT on their share of the traffic,
#                  which takes longer the more workers share it
#   PARTS          a subset of "workers idle fork" (all three)
#   SERVERS        a subset of "rr reuseport node-rr" (all three), for parts workers and idle
#   WORKER_COUNTS  the worker counts of part workers ("1 2 4 8 16 32 64"), each 1 to 256
#   LOADS          a subset of "keepalive close" for part workers (both)
#   IDLE_COUNTS    the idle connections of part idle ("0 4000 20000"), each 0 to 100000, held
#                  by one node process per 10,000; the script raises its soft open-file limit,
#                  and says so when the hard one is too low for a worker's share
#   WORKERS        the workers of part idle (2)
#   FORK_COUNTS    the workers forked at once in part fork ("1 8 64"), each 1 to 256
#   BUILD_DIR      where hello-http and bench-fork are built (build, relative to the repository)
#   PEERS          the peer scripts (<repo>/../shared/peers; Node's http.js and fork.js)
#   KEEP_LOGS      1: keep the per-measurement logs (their folder is printed)
# The rest of the environment reaches every server, e.g. QT_LOGGING_RULES.
#
# Every measurement starts its server fresh on a free port and stops its whole process group
# afterwards; the order of the measurements is reversed every other round, so that a slow phase
# of the machine does not always hit the same server. The machine's load average is printed at the
# start and the end, and with every measurement on stderr: figures from a busy machine are noisy,
# and only comparable within one run.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=bench/common.sh
source bench/common.sh
# shellcheck source=bench/figures.sh
source bench/figures.sh

rounds=${ROUNDS:-3}
duration=${DURATION:-5s}
warmup=${WARMUP:-3s}
connections=${CONNECTIONS:-50}
threads=${THREADS:-1}
workers=${WORKERS:-2}
build=${BUILD_DIR:-build}
peers=${PEERS:-$repo/../shared/peers}
read -r -a parts <<<"${PARTS:-workers idle fork}"
read -r -a servers <<<"${SERVERS:-rr reuseport node-rr}"
read -r -a worker_counts <<<"${WORKER_COUNTS:-1 2 4 8 16 32 64}"
read -r -a loads <<<"${LOADS:-keepalive close}"
read -r -a idle_counts <<<"${IDLE_COUNTS:-0 4000 20000}"
read -r -a fork_counts <<<"${FORK_COUNTS:-1 8 64}"

fail() { echo "run-scaling.sh: $*" >&2; exit 2; }
number_in() { # $1 = name, $2 = value, $3 = low, $4 = high
    if ! [[ $2 =~ ^[0-9]+$ ]] || [ "$2" -lt "$3" ] || [ "$2" -gt "$4" ]; then
        fail "$1 must be a whole number from $3 to $4, not '$2'"
    fi
}
number_in ROUNDS "$rounds" 1 100
number_in CONNECTIONS "$connections" 1 10000
number_in THREADS "$threads" 1 64
number_in WORKERS "$workers" 1 256
[[ $duration =~ ^[1-9][0-9]*s$ ]] || fail "DURATION must be whole seconds, e.g. 5s, not '$duration'"
[[ $warmup =~ ^[0-9]+s$ ]] || fail "WARMUP must be whole seconds, e.g. 3s or 0s, not '$warmup'"
for p in "${parts[@]}"; do
    case $p in workers | idle | fork) ;; *) fail "unknown part '$p' (workers, idle, fork)" ;; esac
done
for s in "${servers[@]}"; do
    case $s in rr | reuseport | node-rr) ;; *) fail "unknown server '$s' (rr, reuseport, node-rr)" ;; esac
done
for l in "${loads[@]}"; do
    case $l in keepalive | close) ;; *) fail "unknown load '$l' (keepalive, close)" ;; esac
done
for n in "${worker_counts[@]}"; do number_in WORKER_COUNTS "$n" 1 256; done
for n in "${idle_counts[@]}"; do number_in IDLE_COUNTS "$n" 0 100000; done
for n in "${fork_counts[@]}"; do number_in FORK_COUNTS "$n" 1 256; done
wants() { case " ${parts[*]} " in *" $1 "*) return 0 ;; esac; return 1; }
uses_node() {
    wants fork && return 0
    case " ${servers[*]} " in *" node-rr "*) return 0 ;; esac
    wants idle
}

if [ ! -f "$peers/node/http.js" ] || [ ! -f "$peers/node/fork.js" ]; then
    fail "no Node peers in $peers/node (http.js, fork.js): set PEERS"
fi
tools=(curl cmake ninja ss)
{ wants workers || wants idle; } && tools+=(wrk)
uses_node && tools+=(node)
bench_need "${tools[@]}"
for t in "${tools[@]}"; do
    command -v "$t" >/dev/null || fail "$t is missing and could not be installed"
done

# Each process that holds idle connections needs a descriptor for every one: the clients are
# spread over holders of at most 10,000 each, and the server's over its workers (Node and
# libcluster raise their soft limit to the hard one, so the hard one is what counts). Unless this
# script may raise the hard limit, which takes CAP_SYS_RESOURCE, it must already be high enough.
idle_per_holder=10000
if wants idle; then
    most=0
    for n in "${idle_counts[@]}"; do [ "$n" -gt "$most" ] && most=$n; done
    per_worker=$(((most + workers - 1) / workers))
    per_process=$((most < idle_per_holder ? most : idle_per_holder))
    [ "$per_worker" -gt "$per_process" ] && per_process=$per_worker
    # Room for a worker that gets more than its share (ReusePort hashes), and the rest it opens.
    files_needed=$((per_process + per_process / 4 + 1024))
    hard=$(ulimit -Hn)
    if [ "$hard" != unlimited ] && [ "$hard" -lt "$files_needed" ]; then
        ulimit -Hn "$files_needed" 2>/dev/null \
            || fail "$most idle connections over $workers workers need an open-file limit of" \
                "$files_needed per process; the hard limit is $hard and this shell cannot raise" \
                "it (it takes root with CAP_SYS_RESOURCE): raise it (ulimit -Hn $files_needed" \
                "as root, LimitNOFILE= under systemd), or lower IDLE_COUNTS or raise WORKERS"
    fi
    ulimit -n "$(ulimit -Hn)" || fail "cannot raise the soft open-file limit to the hard one"
    echo "open-file limit: $(ulimit -n) per process; $files_needed needed" >&2
    read -r port_low port_high </proc/sys/net/ipv4/ip_local_port_range
    [ $((port_high - port_low)) -gt $((most + connections + 1000)) ] \
        || fail "$most idle connections need more local ports than $port_low-$port_high" \
            "(sysctl net.ipv4.ip_local_port_range)"
fi

targets=()
{ wants workers || wants idle; } && targets+=(hello-http)
wants fork && targets+=(bench-fork)
bench_build "$build" "${targets[@]}"
logs=$(mktemp -d /tmp/bench-scaling.XXXXXX)
audit=$logs/audit.lua
bench_write_audit "$audit"
bound=$((${duration%s} + ${warmup%s} + 60)) # the longest one wrk run may take
ticks=$(getconf CLK_TCK)

load() { cut -d' ' -f1 /proc/loadavg; }
now_ns() { date +%s%N; }
# utime + stime of process $1, in clock ticks (the fields after the command's closing paren).
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'; }
# Waits up to about 60 s (64 Node workers on a busy machine take a while) for the server.
wait_long() {
    local pid=$1 i
    for i in 1 2 3 4 5 6; do
        bench_wait_ready "$@" && return 0
        alive "$pid" || return 1
    done
    return 1
}
# shellcheck disable=SC2317 # called through bench_wait_ready
has_ready() { grep -q '^ready' "$1"; }

# Starts server $1 with $2 workers on port $3 in its own process group, log in file $4; sets
# server_pid, and returns 0 once every worker serves.
start_server() {
    local server=$1 count=$2 port=$3 log=$4
    case $server in
    node-rr)
        NODE_CLUSTER_SCHED_POLICY=rr setsid node "$peers/node/http.js" "$port" "$count" \
            >"$log" 2>&1 </dev/null &
        server_pid=$!
        started_group "$server_pid"
        wait_long "$server_pid" "$port" has_ready "$log"
        ;;
    *)
        setsid "$bin/hello-http" --workers "$count" --port "$port" --policy "$server" \
            >"$log" 2>&1 </dev/null &
        server_pid=$!
        started_group "$server_pid"
        wait_long "$server_pid" "$port" bench_log_has "$log" '^Worker .* started' "$count"
        ;;
    esac
}

# Why the server of log $1 is not serving (server_pid), for the errors.
not_started() {
    local why="not serving after 60 s"
    alive "$server_pid" || why="exited"
    echo "server did not start ($why): $(tail -n 3 "$1" | tr '\n' ' ')"
}

# Runs wrk (load $1: keepalive | close) against port $2, output to file $3, while measuring the
# CPU of process $4; sets cpu_share (% of one core).
run_wrk() {
    local load=$1 port=$2 out=$3 pid=$4 hdr=() t0 t1 c0 c1
    [ "$load" = close ] && hdr=(-H 'Connection: close')
    if [ "$warmup" != 0s ]; then
        timeout --foreground "$bound" wrk "-t$threads" "-c$connections" "-d$warmup" \
            "${hdr[@]}" "http://127.0.0.1:$port/" >"$out.warmup" 2>&1 &
        wrk_pid=$!
        wait "$wrk_pid" || true
        wrk_pid=
    fi
    c0=$(cpu_ticks "$pid")
    t0=$(now_ns)
    # In the background, so that a signal to this script is handled at once.
    timeout --foreground "$bound" wrk "-t$threads" "-c$connections" "-d$duration" -s "$audit" \
        "${hdr[@]}" "http://127.0.0.1:$port/" >"$out" 2>&1 &
    wrk_pid=$!
    wait "$wrk_pid" || true
    wrk_pid=
    c1=$(cpu_ticks "$pid")
    t1=$(now_ns)
    cpu_share=$(awk -v a="${c0:-0}" -v b="${c1:-0}" -v t="$ticks" -v ns=$((t1 - t0)) \
        'BEGIN { printf "%.1f", 100 * (b - a) / t / (ns / 1e9) }')
}

declare -A rps cpu errs
# Reads wrk's output $1 into the figures under key $2.
record() {
    local out=$1 key=$2 value audit_line
    value=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    audit_line=$(grep -m1 '^Requests/sec audit:' "$out" || true)
    rps[$key]=${value:-0}
    cpu[$key]=$cpu_share
    if [ -z "$audit_line" ]; then
        errs[$key]="no result: $(grep -v '^ *Latency' "$out" | head -c 120 | tr '\n' ' ')"
    else
        errs[$key]=$(bench_audit_errors "$audit_line")
    fi
}

# Part workers: server $1, $2 workers, load $3, round $4.
measure_workers() {
    local server=$1 count=$2 load=$3 round=$4 key port log out
    key=$server/$count/$load/$round
    port=$(free_port)
    log=$logs/workers-$server-$count-$load-$round.server
    out=$logs/workers-$server-$count-$load-$round.out
    cpu_share=0
    if start_server "$server" "$count" "$port" "$log"; then
        run_wrk "$load" "$port" "$out" "$server_pid"
    else
        not_started "$log" >"$out"
    fi
    stop_group "$server_pid" 10
    record "$out" "$key"
    printf '  round %d  %-9s %2d workers  %-9s %9s req/s  primary %5s%%  load %s  %s\n' "$round" \
        "$server" "$count" "$load" "${rps[$key]}" "${cpu[$key]}" "$(load)" "${errs[$key]}" >&2
}

# Part idle: server $1, $2 idle connections, round $3.
measure_idle() {
    local server=$1 idle=$2 round=$3 key port log out holders holder_log i left chunk why
    key=idle/$server/$idle/$round
    port=$(free_port)
    log=$logs/idle-$server-$idle-$round.server
    out=$logs/idle-$server-$idle-$round.out
    holder_log=$logs/idle-$server-$idle-$round.holder
    cpu_share=0
    if start_server "$server" "$workers" "$port" "$log"; then
        holders=()
        left=$idle
        while [ "$left" -gt 0 ]; do
            chunk=$((left < idle_per_holder ? left : idle_per_holder))
            setsid node bench/idle/idle-clients.js "$port" "$chunk" \
                >"$holder_log.${#holders[@]}" 2>&1 </dev/null &
            holders+=("$!")
            started_group "$!"
            left=$((left - chunk))
        done
        # Every holder says "open N" once its connections are up, or why it failed.
        why=
        for i in "${!holders[@]}"; do
            for _ in $(seq 1200); do # 60 s
                grep -q . "$holder_log.$i" && break
                alive "${holders[i]}" || break
                sleep 0.05
            done
            grep -q '^open ' "$holder_log.$i" \
                || why="idle connections: $(head -c 200 "$holder_log.$i" | tr '\n' ' ')"
        done
        # A connection is open for its client once it is in the accept queue; wrk starts once
        # the server has taken them all (the queue, of every listening socket, is empty).
        for _ in $(seq 600); do # 30 s
            [ -n "$why" ] && break
            [ "$(ss -Hltn "sport = :$port" | awk '{ q += $2 } END { print q + 0 }')" = 0 ] && break
            sleep 0.05
        done
        if [ -n "$why" ]; then
            echo "$why" >"$out"
        else
            run_wrk keepalive "$port" "$out" "$server_pid"
        fi
        for i in "${holders[@]}"; do stop_group "$i"; done
    else
        not_started "$log" >"$out"
    fi
    stop_group "$server_pid" 10
    record "$out" "$key"
    printf '  round %d  %-9s %6d idle  %9s req/s  primary %5s%%  load %s  %s\n' "$round" "$server" \
        "$idle" "${rps[$key]}" "${cpu[$key]}" "$(load)" "${errs[$key]}" >&2
}

# Part fork: bench-fork or Node's fork.js ($1 = libcluster | node), $2 workers, round $3.
declare -A fork_ms
measure_fork() {
    local who=$1 count=$2 round=$3 key out pid line
    key=$who/$count/$round
    out=$logs/fork-$who-$count-$round.out
    if [ "$who" = node ]; then
        setsid timeout 120 node "$peers/node/fork.js" "$count" >"$out" 2>&1 </dev/null &
    else
        setsid timeout 120 "$bin/bench-fork" "$count" >"$out" 2>&1 </dev/null &
    fi
    pid=$!
    started_group "$pid"
    wait "$pid" || true
    stop_group "$pid"
    line=$(grep -m1 '^{' "$out" || true)
    fork_ms[$key]=$(sed -n 's/.*"all_online_ms":\([0-9.]*\).*/\1/p' <<<"$line")
    if [ -z "${fork_ms[$key]}" ]; then
        fork_ms[$key]=0
        errs[fork/$key]="no result: $(head -c 120 "$out" | tr '\n' ' ')"
    fi
    printf '  round %d  fork %-10s %2d workers  all online in %s ms  load %s\n' "$round" "$who" \
        "$count" "${fork_ms[$key]}" "$(load)" >&2
}

# The median over the rounds of array $1 (rps, cpu or fork_ms) at key prefix $2.
median_of() {
    local -n figures=$1
    local r values=()
    for r in $(seq "$rounds"); do values+=("${figures[$2/$r]:-0}"); done
    printf '%.1f' "$(bench_median "${values[@]}")"
}
label() {
    case $1 in
    rr) echo "RoundRobin" ;;
    reuseport) echo "ReusePort" ;;
    node-rr) echo "Node rr" ;;
    esac
}
row() {
    local out="|" cell
    for cell in "$@"; do out+=" $cell |"; done
    echo "$out"
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started_at=$SECONDS
echo "bench/run-scaling.sh: parts ${parts[*]}, $rounds rounds, wrk -t$threads -c$connections -d$duration after $warmup of warm-up" >&2

if wants workers; then
    jobs=()
    for n in "${worker_counts[@]}"; do
        for s in "${servers[@]}"; do
            for l in "${loads[@]}"; do jobs+=("$s $n $l"); done
        done
    done
    echo "workers: ${servers[*]} x ${worker_counts[*]} workers x ${loads[*]}" >&2
    for round in $(seq "$rounds"); do
        mapfile -t order < <(bench_round_order "$round" "${jobs[@]}")
        for job in "${order[@]}"; do
            # shellcheck disable=SC2086 # the job's three words are the arguments
            measure_workers $job "$round"
        done
    done
fi

if wants idle; then
    jobs=()
    for n in "${idle_counts[@]}"; do
        for s in "${servers[@]}"; do jobs+=("$s $n"); done
    done
    echo "idle: ${servers[*]} x ${idle_counts[*]} idle connections, $workers workers" >&2
    for round in $(seq "$rounds"); do
        mapfile -t order < <(bench_round_order "$round" "${jobs[@]}")
        for job in "${order[@]}"; do
            # shellcheck disable=SC2086
            measure_idle $job "$round"
        done
    done
fi

if wants fork; then
    jobs=()
    for n in "${fork_counts[@]}"; do jobs+=("libcluster $n" "node $n"); done
    echo "fork: ${fork_counts[*]} workers" >&2
    for round in $(seq "$rounds"); do
        mapfile -t order < <(bench_round_order "$round" "${jobs[@]}")
        for job in "${order[@]}"; do
            # shellcheck disable=SC2086
            measure_fork $job "$round"
        done
    done
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "## How cost grows: medians of $rounds alternating rounds"
echo
echo "Machine: $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ); load average $load_start at the start," \
    "$load_end at the end ($(((SECONDS - started_at) / 60)) min); hello-http and bench-fork built" \
    "$build_type; node $(node --version 2>/dev/null || echo -). Primary CPU: utime + stime of the" \
    "primary process over the measured wrk run, in % of one core. Each server first gets $warmup of" \
    "the same load, unmeasured."

if wants workers; then
    for l in "${loads[@]}"; do
        echo
        case $l in
        keepalive) echo "### Workers, keep-alive: wrk -t$threads -c$connections -d$duration" ;;
        close) echo "### Workers, \`Connection: close\`: wrk -t$threads -c$connections -d$duration" ;;
        esac
        echo
        cells=(workers)
        aligns=("---:")
        for s in "${servers[@]}"; do
            cells+=("$(label "$s") req/s" "primary CPU")
            aligns+=("---:" "---:")
        done
        both=0
        case " ${servers[*]} " in *" rr "*) case " ${servers[*]} " in *" node-rr "*) both=1 ;; esac ;; esac
        [ $both = 1 ] && { cells+=("RoundRobin / Node rr"); aligns+=("---:"); }
        row "${cells[@]}"
        row "${aligns[@]}"
        for n in "${worker_counts[@]}"; do
            cells=("$n")
            for s in "${servers[@]}"; do
                cells+=("$(bench_group "$(median_of rps "$s/$n/$l")")" "$(median_of cpu "$s/$n/$l") %")
            done
            [ $both = 1 ] && cells+=("$(bench_ratio "$(median_of rps "rr/$n/$l")" "$(median_of rps "node-rr/$n/$l")")")
            row "${cells[@]}"
        done
    done
fi

if wants idle; then
    echo
    echo "### Keep-alive beside idle connections: $workers workers, wrk -t$threads -c$connections -d$duration"
    echo
    cells=("idle connections")
    aligns=("---:")
    for s in "${servers[@]}"; do
        cells+=("$(label "$s") req/s" "primary CPU")
        aligns+=("---:" "---:")
    done
    row "${cells[@]}"
    row "${aligns[@]}"
    for n in "${idle_counts[@]}"; do
        cells=("$(bench_group "$n")")
        for s in "${servers[@]}"; do
            cells+=("$(bench_group "$(median_of rps "idle/$s/$n")")" "$(median_of cpu "idle/$s/$n") %")
        done
        row "${cells[@]}"
    done
fi

if wants fork; then
    echo
    echo "### Fork -> all workers online"
    echo
    row workers "libcluster ms" "Node ms" "Node / libcluster"
    row "---:" "---:" "---:" "---:"
    for n in "${fork_counts[@]}"; do
        ours=$(median_of fork_ms "libcluster/$n")
        theirs=$(median_of fork_ms "node/$n")
        row "$n" "$(printf '%.1f' "$ours")" "$(printf '%.1f' "$theirs")" "$(bench_ratio "$theirs" "$ours")"
    done
fi

if wants workers || wants idle; then
    # Every round's figure, in round order: a low first round, or one noisy phase, shows here.
    rounds_of() { # $1 = rps key prefix
        local r out=()
        for r in $(seq "$rounds"); do out+=("$(printf '%.0f' "${rps[$1/$r]:-0}")"); done
        local joined
        joined=$(IFS=/; echo "${out[*]}")
        echo "${joined//\// / }"
    }
    echo
    echo "<details><summary>every round (req/s, in round order)</summary>"
    echo
    row measure "${servers[@]}"
    row --- "${servers[@]/*/---}"
    if wants workers; then
        for l in "${loads[@]}"; do
            for n in "${worker_counts[@]}"; do
                cells=("$l, $n worker(s)")
                for s in "${servers[@]}"; do cells+=("$(rounds_of "$s/$n/$l")"); done
                row "${cells[@]}"
            done
        done
    fi
    if wants idle; then
        for n in "${idle_counts[@]}"; do
            cells=("keepalive, $n idle")
            for s in "${servers[@]}"; do cells+=("$(rounds_of "idle/$s/$n")"); done
            row "${cells[@]}"
        done
    fi
    echo
    echo "</details>"
fi

failures=()
for key in "${!errs[@]}"; do
    [ -n "${errs[$key]}" ] && failures+=("$key: ${errs[$key]}")
done
echo
if [ ${#failures[@]} -gt 0 ]; then
    echo "Errors (wrk's counts, or what failed), per measurement:"
    printf '%s\n' "${failures[@]}" | sort | sed 's/^/- /'
else
    echo "No errors: wrk counted none, and every server and fork run answered."
fi

bench_report_leftovers
[ "${KEEP_LOGS:-0}" = 1 ] && echo "Logs: $logs"
# A server that did not start, or a run without a figure, fails the script after the tables.
for key in "${!errs[@]}"; do
    case ${errs[$key]} in "no result"*)
        echo "run-scaling.sh: some measurements have no result (see the errors above)" >&2
        exit 1 ;;
    esac
done
exit 0
