# Sourced by install-tools.sh (root, set -euo pipefail): mkosi 25.3 from Debian trixie beside the 24.3 of
# bookworm-backports, so that the tests build with both versions podvm supports. mkosi is pure Python and
# runs on bookworm's Python; only its package is taken from trixie, unpacked under /opt, never installed,
# and trixie is pinned so low that apt never picks anything else from it.

PODVM_MKOSI25_VERSION=25.3-7
PODVM_MKOSI25_DIR=/opt/podvm/mkosi-25.3

install_mkosi25() {
  if head -1 /usr/local/bin/mkosi-25 2>/dev/null | grep -q python3 && /usr/local/bin/mkosi-25 --version | grep -q "^mkosi 25.3"; then
    return 0
  fi
  cat >/etc/apt/sources.list.d/podvm-trixie.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 1\n' >/etc/apt/preferences.d/podvm-trixie
  PODVM_APT_UPDATED=""
  apt_update_once
  local download
  download=$(mktemp -d)
  chmod 0755 "$download"
  (cd "$download" && apt-get download -qq -o APT::Sandbox::User=root "mkosi=$PODVM_MKOSI25_VERSION")
  rm -rf "$PODVM_MKOSI25_DIR"
  mkdir -p "$PODVM_MKOSI25_DIR"
  dpkg-deb -x "$download"/mkosi_*.deb "$PODVM_MKOSI25_DIR"
  rm -rf "$download"
  # A Python launcher like Debian's /usr/bin/mkosi (not a shell wrapper), so that podvm can read this
  # mkosi's settings table with the launcher's own interpreter; PYTHONPATH also reaches mkosi's re-execs.
  cat >/usr/local/bin/mkosi-25 <<WRAPPER
#!/usr/bin/python3
import os
import sys
sys.path.insert(0, "$PODVM_MKOSI25_DIR/usr/lib/python3/dist-packages")
os.environ["PYTHONPATH"] = "$PODVM_MKOSI25_DIR/usr/lib/python3/dist-packages"
from mkosi.__main__ import main
if __name__ == "__main__":
    sys.exit(main())
WRAPPER
  chmod 0755 /usr/local/bin/mkosi-25
}

if wants test; then
  step "mkosi 25.3 beside 24.3 (tests)" "under 1 min" install_mkosi25
  echo "install-tools.d/mkosi25.sh: $(/usr/local/bin/mkosi-25 --version)"
fi
