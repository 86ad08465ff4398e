#!/usr/bin/env bash
# Installs the Debian 12 packages dagflow builds with, if any is missing (uses sudo unless root).
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libtbb-dev libboost-graph-dev libspdlog-dev libgtest-dev libgmock-dev libbenchmark-dev
  graphviz libgraphviz-dev
  libcli11-dev libpcg-cpp-dev libpng-dev zlib1g-dev
  doxygen clang-format clang-format-16 clang-tidy
  libopenmpi-dev openmpi-bin libcereal-dev
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
