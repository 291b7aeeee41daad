# SPDX-FileCopyrightText: 2026 The libcluster authors
# SPDX-License-Identifier: BSD-3-Clause
# Installs the Debian 12 packages the build needs, when they are missing. Sourced by the scripts.
libcluster_install_deps() {
    local packages=(cmake ninja-build g++ clang clang-format reuse doxygen qt6-base-dev
        qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6
        qt6-httpserver-dev qt6-websockets-dev qt6-svg-dev libclang-rt-14-dev libgl-dev xvfb xauth
        wrk nginx-light imagemagick nodejs curl openssl openssh-client openssh-server
        prometheus)
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    # node may come from elsewhere than Debian's package
    if command -v node >/dev/null; then
        missing=("${missing[@]/nodejs/}")
    fi
    local wanted=()
    for p in "${missing[@]}"; do [ -n "$p" ] && wanted+=("$p"); done
    [ ${#wanted[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing packages: ${wanted[*]} (run as root, or install them with apt-get)" >&2
        return 1
    fi
    echo "installing: ${wanted[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${wanted[@]}" >/dev/null
}
