#!/usr/bin/env bash
# Measurement, not a test: the installer's split on a truly fresh Debian 12 root (no Go, no Java, no mkosi).
# Makes the root with mmdebstrap, copies this checkout in, and in a chroot times, one after the other:
#   1. scripts/install-tools.sh image      (what `make image` / `make image-debug` install)
#   2. make cli                            (the CLI jar, Maven dependencies from Maven Central)
#   3. scripts/install-tools.sh all        (what `make test` / `make tools` install on top)
#   4. make image-debug                    (only with BUILD_IMAGE=1: a real mkosi build with an empty package
#                                           cache, under the shared build lock; last, as it may wait for the lock)
# and then proves Go and uplosi work there. Run as root from the repository root: bash bench/fresh-install.sh
# (apt-get install mmdebstrap first). The mirror is this machine's: deb.debian.org.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${FRESH_ROOT:-/var/tmp/fresh-root}
mirror=${MIRROR:-http://deb.debian.org/debian}

now() { date +%s; }
phase() { echo; echo "=== $1 ($(date -u +%H:%M:%S))"; }
cleanup() {
  for m in dev/pts dev sys proc ""; do umount -l "$root/$m" 2>/dev/null || true; done
}
trap cleanup EXIT

phase "mmdebstrap bookworm $root"
uptime
cleanup
if grep -q " $root" /proc/mounts; then
  echo "something is still mounted under $root; not deleting it" >&2
  exit 1
fi
rm -rf "$root"
t0=$(now)
mmdebstrap --quiet --variant=important bookworm "$root" "deb $mirror bookworm main" \
  "deb $mirror bookworm-updates main" "deb http://deb.debian.org/debian-security bookworm-security main"
echo "fresh root made in $(($(now) - t0)) s; Go there: $(ls "$root"/usr/local/go 2>&1 | head -1); java: $(chroot "$root" sh -c 'command -v java || echo none')"

# A fresh clone: the committed tree (HEAD), no build output.
mkdir -p "$root/src/podvm"
git archive HEAD | tar -C "$root/src/podvm" -xf -
# The root must be a mount point of its own: mkosi asks findmnt for the file system of /.
mount --bind "$root" "$root"
mount --bind /proc "$root/proc"
mount --bind /sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The local CAs of this machine's network (here: the egress proxy's), which every machine on it needs to reach
# Maven Central, the Go module proxy and PyPI over https; the apt mirror is plain http.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" sh -c 'command -v update-ca-certificates >/dev/null && update-ca-certificates >/dev/null || true'
fi
in_root() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 bash -c "cd /src/podvm && $1"; }

phase "scripts/install-tools.sh image"
t0=$(now); in_root "scripts/install-tools.sh image"; image_s=$(($(now) - t0))

phase "make cli"
t0=$(now); in_root "make cli"; cli_s=$(($(now) - t0))

phase "scripts/install-tools.sh all"
t0=$(now); in_root "scripts/install-tools.sh all"; all_s=$(($(now) - t0))

image_build_s=-
if [ "${BUILD_IMAGE:-0}" = 1 ]; then
  phase "make image-debug (waits for /tmp/podvm-real-build.lock)"
  exec 9>/tmp/podvm-real-build.lock
  flock 9
  t0=$(now); in_root "make image-debug PODVM_MKOSI_FLAGS='--qcow2'" || echo "make image-debug FAILED"
  image_build_s=$(($(now) - t0))
  flock -u 9
  ls -la "$root/src/podvm/build" || true
fi

phase "Go and the tools it built"
in_root 'ls -d /usr/local/go 2>&1; command -v go; go version; GOTOOLCHAIN=go1.26.8+auto go version; uplosi --version; distribution-registry --version'
in_root 'dpkg-query -W golang-go mkosi systemd openjdk-17-jdk-headless podman'

echo
echo "fresh Debian 12 root, $(nproc) cores, shared with other builds (load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "install-tools.sh image:           ${image_s} s"
echo "make cli (Maven from Central):    ${cli_s} s"
echo "make image-debug (real mkosi):    ${image_build_s} s"
echo "install-tools.sh all (on top):    ${all_s} s"
