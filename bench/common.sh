# SPDX-FileCopyrightText: 2026 The libcluster authors
# SPDX-License-Identifier: BSD-3-Clause
# What the HTTP benchmark scripts share: tools, the build, wrk's error count, the process groups
# they start and the ports they use. Sourced from the repository's root, with `set -euo pipefail`.

# Installs the project's dependencies when one of the tools "$@" is missing.
bench_need() {
    local tool need=()
    for tool in "$@"; do command -v "$tool" >/dev/null || need+=("$tool"); done
    if [ ${#need[@]} -gt 0 ]; then
        echo "missing: ${need[*]}; installing the project's dependencies" >&2
        source scripts/deps.sh
        libcluster_install_deps
    fi
}

# Builds the targets "$@" in $1 (configured first if it never was; a no-op when up to date).
# Sets bin (the programs' folder) and build_type.
bench_build() {
    local dir=$1
    shift
    if [ ! -f "$dir/CMakeCache.txt" ]; then
        cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    fi
    cmake --build "$dir" --target "$@" >/dev/null
    bin=$(cd "$dir" && pwd)/bin
    build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$dir/CMakeCache.txt")
}

# Writes a wrk script to $1 whose done() hook prints one line with the requests and every kind of
# error wrk counted: "Requests/sec audit: requests N connect N read N write N timeout N non2xx N".
# It contains "Requests/sec" on purpose: the peers' scripts pass only such lines through.
bench_write_audit() {
    cat >"$1" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("Requests/sec audit: requests %d connect %d read %d write %d timeout %d non2xx %d\n",
    summary.requests, e.connect, e.read, e.write, e.timeout, e.status))
end
LUA
}

# The errors of an audit line ($1, empty when wrk printed none), as "read 3,non-2xx 1", or
# "no result" when there is no line; empty when there were none.
bench_audit_errors() {
    [ -z "$1" ] && { echo "no result"; return; }
    local e=()
    set -- $1 # Requests/sec audit: requests N connect N read N write N timeout N non2xx N
    [ "$6" != 0 ] && e+=("connect $6")
    [ "$8" != 0 ] && e+=("read $8")
    [ "${10}" != 0 ] && e+=("write ${10}")
    [ "${12}" != 0 ] && e+=("timeout ${12}")
    [ "${14}" != 0 ] && e+=("non-2xx ${14}")
    (IFS=,; echo "${e[*]}")
}

groups=()     # the process groups the script started and has not yet seen end
started=0     # how many it started
leftovers=()  # processes found still running after a server was stopped
wrk_pid=      # a wrk running in the background
logs=         # the script's folder of logs, removed at exit unless KEEP_LOGS=1

alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

started_group() {
    groups+=("$1")
    started=$((started + 1))
}

# Stops process group $1 (its leader is our child): SIGTERM, then SIGKILL after ${2:-5} s.
stop_group() {
    local pgid=$1 tenths=$((${2:-5} * 10)) i
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for i in $(seq "$tenths"); do alive "$pgid" || break; sleep 0.1; done
    alive "$pgid" && kill -KILL -- "-$pgid" 2>/dev/null
    wait "$pgid" 2>/dev/null || true
    # Members that outlive the leader (workers still exiting) get the same bound.
    for i in $(seq "$tenths"); do pgrep -g "$pgid" >/dev/null || break; sleep 0.1; done
    if pgrep -g "$pgid" >/dev/null; then
        leftovers+=("$(pgrep -a -g "$pgid" | tr '\n' ';')")
        kill -KILL -- "-$pgid" 2>/dev/null || true
        for i in $(seq 50); do pgrep -g "$pgid" >/dev/null || break; sleep 0.1; done
    fi
    # An empty group is forgotten, so that a later group reusing the number is never touched.
    pgrep -g "$pgid" >/dev/null && return 0
    local kept=() g
    for g in "${groups[@]}"; do
        if [ "$g" != "$pgid" ]; then kept+=("$g"); fi
    done
    groups=("${kept[@]}")
}

bench_cleanup() {
    local g
    [ -n "$wrk_pid" ] && kill "$wrk_pid" 2>/dev/null
    for g in "${groups[@]}"; do pgrep -g "$g" >/dev/null && kill -KILL -- "-$g" 2>/dev/null; done
    [ "${KEEP_LOGS:-0}" = 1 ] || { [ -n "$logs" ] && rm -rf "$logs"; }
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# A port nothing listens on, below the ephemeral range wrk's connections come from.
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 12000))
        [ -z "$(ss -Htln "sport = :$p")" ] && { echo "$p"; return; }
    done
}

# Says which process groups of ours outlived their stop, or that none did.
bench_report_leftovers() {
    local remaining=() g
    for g in "${groups[@]}"; do
        pgrep -g "$g" >/dev/null && remaining+=("$(pgrep -a -g "$g" | tr '\n' ';')")
    done
    echo
    if [ ${#leftovers[@]} -gt 0 ] || [ ${#remaining[@]} -gt 0 ]; then
        echo "Processes that outlived their server's stop (killed): ${leftovers[*]} ${remaining[*]}"
    else
        echo "No leftover processes: all $started process groups started by this run are gone."
    fi
}

# Prints its arguments after the round number ($1) one per line, reversed in every other round, so
# that a slow phase of the machine does not always hit the same server:
#   mapfile -t order < <(bench_round_order "$round" "${servers[@]}")
bench_round_order() {
    local round=$1
    shift
    local items=("$@") i
    if [ $((round % 2)) = 0 ]; then
        for ((i = ${#items[@]} - 1; i >= 0; i--)); do printf '%s\n' "${items[i]}"; done
    else
        printf '%s\n' "${items[@]}"
    fi
}

# Waits, at most about 10 s (200 tries 50 ms apart, plus curl's own time), until the command
# after the port succeeds and the server on port $2 answers; gives up at once when process $1 is
# gone. Returns 0 when ready.
bench_wait_ready() {
    local pid=$1 port=$2 i
    shift 2
    for i in $(seq 200); do
        if "$@" && curl -s -o /dev/null -m 1 "http://127.0.0.1:$port/"; then
            return 0
        fi
        alive "$pid" || return 1
        sleep 0.05
    done
    return 1
}

# True when log $1 has at least $3 lines matching pattern $2 (a readiness test for the above).
bench_log_has() { [ "$(grep -c "$2" "$1")" -ge "$3" ]; }
