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

BACKPORTS_PACKAGES="mkosi systemd systemd-container systemd-boot-efi udev libsystemd0 libudev1"
PACKAGES="kmod python3-pefile mtools dosfstools e2fsprogs cpio zstd debian-archive-keyring fdisk util-linux
  qemu-utils qemu-system-x86 ovmf apt dpkg bubblewrap openssh-client maven openjdk-17-jdk-headless make"

# Skips apt entirely when everything is there, so that a second run costs a second, not a minute.
packages_present() {
  # shellcheck disable=SC2086
  dpkg-query -W -f='${Status}\n' $BACKPORTS_PACKAGES $PACKAGES 2>/dev/null | grep -vq "install ok installed" && return 1
  command -v mkosi >/dev/null && [ "$(mkosi --version | awk '{print int($2)}')" -ge 24 ] \
    && [ "$(systemd-repart --version | awk 'NR==1{print $2}')" -ge 254 ]
}

install_packages() {
  if packages_present; then
    return 0
  fi
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -t bookworm-backports $BACKPORTS_PACKAGES
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES
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
