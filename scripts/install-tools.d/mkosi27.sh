# Sourced by install-tools.sh (root, set -euo pipefail): mkosi 27.1 from Debian sid beside the 24.3 of
# bookworm-backports and the 25.3 of trixie, for trees that pin mkosi 26 or newer (upstream
# cloud-api-adaptor uses settings such as KernelInitrdModules=). Like mkosi25.sh: mkosi is pure Python
# and runs on bookworm's Python; only its package is taken from sid, unpacked under /opt, never
# installed, and sid is pinned so low that apt never picks anything else from it.

PODVM_MKOSI27_VERSION=27.1-1
PODVM_MKOSI27_DIR=/opt/podvm/mkosi-27.1

install_mkosi27() {
  if head -1 /usr/local/bin/mkosi-27 2>/dev/null | grep -q python3 && /usr/local/bin/mkosi-27 --version | grep -q "^mkosi 27.1"; then
    return 0
  fi
  # Check-Valid-Until: no, as sid's Release file expires within days and mirrors that are snapshots (such as
  # the one CI uses) serve it expired; one exact version of one package is taken from it, never an upgrade.
  cat >/etc/apt/sources.list.d/podvm-sid.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
Check-Valid-Until: no
SRC
  printf 'Package: *\nPin: release n=sid\nPin-Priority: 1\n' >/etc/apt/preferences.d/podvm-sid
  apt-get update -qq
  local download
  download=$(mktemp -d)
  chmod 0755 "$download"
  (cd "$download" && apt-get download -qq -o APT::Sandbox::User=root "mkosi=$PODVM_MKOSI27_VERSION")
  rm -rf "$PODVM_MKOSI27_DIR"
  mkdir -p "$PODVM_MKOSI27_DIR"
  dpkg-deb -x "$download"/mkosi_*.deb "$PODVM_MKOSI27_DIR"
  rm -rf "$download"
  # A Python launcher like Debian's /usr/bin/mkosi (not a shell wrapper), so that podvm can read this
  # mkosi's settings table with the launcher's own interpreter; PYTHONPATH also reaches mkosi's re-execs.
  cat >/usr/local/bin/mkosi-27 <<WRAPPER
#!/usr/bin/python3
import os
import sys
sys.path.insert(0, "$PODVM_MKOSI27_DIR/usr/lib/python3/dist-packages")
os.environ["PYTHONPATH"] = "$PODVM_MKOSI27_DIR/usr/lib/python3/dist-packages"
from mkosi.__main__ import main
if __name__ == "__main__":
    sys.exit(main())
WRAPPER
  chmod 0755 /usr/local/bin/mkosi-27
}

if wants test; then
  step "mkosi 27.1 beside 24.3 (tests)" "under 1 min" install_mkosi27
  echo "install-tools.d/mkosi27.sh: $(/usr/local/bin/mkosi-27 --version)"
fi
