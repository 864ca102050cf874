#!/usr/bin/env bash
# Prints one line describing this machine, for benchmark records.
set -euo pipefail
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
echo "${cpu:-unknown CPU}, $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB RAM, $(go version | cut -d' ' -f3), $(. /etc/os-release && echo "$PRETTY_NAME")"
