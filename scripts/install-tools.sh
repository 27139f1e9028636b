#!/usr/bin/env bash
# Installs, idempotently, the tools podvm needs on Debian 12, by capability, the same split as `podvm doctor`:
#   image     mkosi 24.3 + systemd-repart 254 (bookworm-backports), their helpers, qemu-img, JDK 17, Maven
#   binaries  podman, buildah, skopeo, tar, zstd
#   upload    uplosi 0.4.0, built with Go (Go is installed when missing)
#   test      all of the above plus what only the tests use: QEMU + OVMF, mkosi 25.3, a registry, moto
#   all       the same as test (default)
# Usage: scripts/install-tools.sh [image|binaries|upload|boot|test|all]...
# mkosi 24.3 and systemd-repart >= 254 come from bookworm-backports (Debian 12 itself ships mkosi 14,
# which cannot build bootable images).
set -euo pipefail

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-tools.sh: run as root (it installs Debian packages)" >&2
    exit 1
  fi
}

# The parts asked for, with what each implies; `wants PART` is what install-tools.d/ asks.
PODVM_INSTALL_PARTS=""
select_parts() {
  [ $# -gt 0 ] || set -- all
  local part
  for part in "$@"; do
    case "$part" in
      image | binaries | upload | boot) PODVM_INSTALL_PARTS="$PODVM_INSTALL_PARTS $part" ;;
      test | all) PODVM_INSTALL_PARTS="$PODVM_INSTALL_PARTS image binaries upload boot test" ;;
      *)
        echo "install-tools.sh: unknown part '$part'; allowed: image, binaries, upload, boot, test, all" >&2
        exit 2
        ;;
    esac
  done
}

wants() {
  case " $PODVM_INSTALL_PARTS " in *" $1 "*) return 0 ;; esac
  return 1
}

# Runs one installation step and says what it is, how long it usually takes and how long it took, so
# that a first run does not look hung.
step() {
  local label=$1 usually=$2 start=$SECONDS
  shift 2
  echo "install-tools.sh: installing $label (first time usually $usually)..."
  "$@"
  echo "install-tools.sh: $label ready ($((SECONDS - start)) s)"
}

add_backports() {
  local list=/etc/apt/sources.list.d/podvm-bookworm-backports.sources
  [ -f "$list" ] && return 0
  echo "install-tools.sh: adding the apt source bookworm-backports ($list)"
  cat >"$list" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  PODVM_APT_UPDATED=""
}

# One `apt-get update` per run, and only when something is missing.
PODVM_APT_UPDATED=""
apt_update_once() {
  [ -n "$PODVM_APT_UPDATED" ] && return 0
  apt-get update -qq
  PODVM_APT_UPDATED=yes
}

# Installs the packages not yet installed (a second run costs a second, not a minute).
# Usage: apt_install [-t SUITE] PACKAGE...
apt_install() {
  local target=()
  if [ "$1" = "-t" ]; then
    target=(-t "$2")
    shift 2
  fi
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  apt_update_once
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${target[@]}" "${missing[@]}"
}

IMAGE_BACKPORTS_PACKAGES="mkosi systemd systemd-container systemd-boot-efi udev libsystemd0 libudev1"
# wget and unzip are for the Maven Wrapper (./mvnw): without unzip it fetches the .tar.gz, whose checksum is not
# the .zip's in .mvn/wrapper/maven-wrapper.properties, and refuses it; without wget or curl it compiles a Java
# downloader. Not curl: bookworm's curl does not install beside the libcurl4 that systemd 254 pulls from
# bookworm-backports on a fresh root. Maven itself comes from the wrapper, not from apt.
IMAGE_PACKAGES="kmod python3-pefile mtools dosfstools e2fsprogs cpio zstd debian-archive-keyring fdisk util-linux
  qemu-utils apt dpkg bubblewrap openjdk-17-jdk-headless make wget unzip"
TEST_PACKAGES="qemu-system-x86 ovmf openssh-client"

image_tools_present() {
  command -v mkosi >/dev/null && [ "$(mkosi --version | awk '{print int($2)}')" -ge 24 ] &&
    [ "$(systemd-repart --version | awk 'NR==1{print $2}')" -ge 254 ]
}

install_image_tools() {
  add_backports
  if ! image_tools_present; then
    # All of them, even those installed: Debian 12's own systemd (252) must be upgraded to the backport.
    apt_update_once
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -t bookworm-backports \
      $IMAGE_BACKPORTS_PACKAGES
  fi
  # shellcheck disable=SC2086
  apt_install $IMAGE_PACKAGES
}

install_test_packages() {
  # shellcheck disable=SC2086
  apt_install $TEST_PACKAGES
}

# Go, for uplosi and the test registry. A plain Debian 12 has no /usr/local/go and its golang-go (1.19) is
# older than uplosi (1.22) and the registry (1.26) need. bookworm-backports' golang-go (1.23) is the
# bootstrap; GOTOOLCHAIN makes it fetch the pinned release from the Go module proxy (golang.org/toolchain),
# which every module built here accepts.
PODVM_GO_TOOLCHAIN=go1.26.8
need_go() {
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="$PATH:/usr/local/go/bin"
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "install-tools.sh: no Go found; installing golang-go from bookworm-backports (the toolchain itself," \
      "$PODVM_GO_TOOLCHAIN, comes from the Go module proxy)"
    add_backports
    apt_install -t bookworm-backports golang-go ca-certificates
  fi
  # A toolchain older than the pin switches to the pin; a newer one (e.g. /usr/local/go) is kept.
  export GOTOOLCHAIN="$PODVM_GO_TOOLCHAIN+auto"
  echo "install-tools.sh: Go $(go version | awk '{print $3}') ($(command -v go))"
}

# Tools of one capability each (uplosi, container builders, test services) live in install-tools.d/;
# each installs only the parts `wants` asks for.
install_capabilities() {
  local part
  for part in "$(dirname "$0")"/install-tools.d/*.sh; do
    [ -e "$part" ] || continue
    # shellcheck source=/dev/null
    . "$part"
  done
}

need_root
select_parts "$@"
echo "install-tools.sh: installing for:$PODVM_INSTALL_PARTS"
PODVM_INSTALL_START=$SECONDS
if wants image; then
  step "image tools (mkosi, systemd-repart, qemu-img, JDK 17, Maven)" "2-4 min" install_image_tools
  echo "install-tools.sh: mkosi $(mkosi --version | awk '{print $2}'), $(systemd-repart --version | head -1), $(qemu-img --version | head -1)"
fi
if wants test; then
  step "test machines (QEMU, OVMF, ssh)" "1-2 min" install_test_packages
fi
install_capabilities
echo "install-tools.sh: done for:$PODVM_INSTALL_PARTS in $((SECONDS - PODVM_INSTALL_START)) s"
