#!/usr/bin/env bash
# Installs, idempotently, every tool that building podvm images and testing podvm need on Debian 12.
# mkosi 24.3 and systemd-repart >= 254 come from bookworm-backports (Debian 12 itself ships mkosi 14,
# which cannot build bootable images).
set -euo pipefail

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-tools.sh: run as root (it installs Debian packages)" >&2
    exit 1
  fi
}

add_backports() {
  local list=/etc/apt/sources.list.d/podvm-bookworm-backports.sources
  [ -f "$list" ] && return 0
  cat >"$list" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
}

install_packages() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -t bookworm-backports mkosi systemd systemd-container systemd-boot-efi udev libsystemd0 libudev1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    kmod python3-pefile mtools dosfstools e2fsprogs cpio zstd debian-archive-keyring \
    fdisk util-linux qemu-utils qemu-system-x86 ovmf apt dpkg bubblewrap \
    maven openjdk-17-jdk-headless
}

# Tools of one capability each (uplosi, container builders, test services) live in install-tools.d/.
install_capabilities() {
  local part
  for part in "$(dirname "$0")"/install-tools.d/*.sh; do
    [ -e "$part" ] || continue
    # shellcheck source=/dev/null
    . "$part"
  done
}

need_root
add_backports
install_packages
install_capabilities
echo "install-tools.sh: mkosi $(mkosi --version | awk '{print $2}'), $(systemd-repart --version | head -1), $(qemu-img --version | head -1)"
