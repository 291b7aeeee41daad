# SPDX-FileCopyrightText: 2026 The libcluster authors
# SPDX-License-Identifier: BSD-3-Clause
# How the benchmark scripts turn rounds into table cells: the median, a ratio and big numbers.
# Sourced; defines functions only.

# The median of the numbers given as arguments (the mean of the middle two for an even count).
bench_median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# $1 / $2 as "N.NNx", or "n/a" when either is missing or not positive. With a target $3, says
# whether the ratio reaches it: "1.62x (target >= 1.5x: met)".
bench_ratio() {
    awk -v a="${1:-0}" -v b="${2:-0}" -v t="${3:-}" 'BEGIN {
        if (a <= 0 || b <= 0) { printf "n/a"; exit }
        r = a / b; printf "%.2fx", r
        if (t != "") printf " (target >= %.1fx: %s)", t, (r >= t ? "met" : "MISSED") }'
}

# $1 rounded, with thousands separated by commas: 1234567.8 -> 1,234,568.
bench_group() {
    printf '%.0f' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'
}
