# Sourced by install-tools.sh (root, set -euo pipefail): the reproducibility and integrity capability.
# - diffoscope (the minimal package: no hundreds of recommended comparators) explains why two builds differ;
#   'podvm mkosi --check-reproducible' runs it on the two images' unpacked root and ESP files.
# - debugfs (e2fsprogs) unpacks an ext4 root without mounting it, mtools the ESP.
# - erofs-utils makes the read-only root of '--root verity' images; cryptsetup-bin's veritysetup checks it.

PODVM_REPRO_PACKAGES="diffoscope-minimal e2fsprogs mtools erofs-utils cryptsetup-bin"

install_repro_tools() {
  local missing=()
  for p in $PODVM_REPRO_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# With the image tools: 'podvm mkosi --check-reproducible' is an option of every image build.
if wants image; then
  step "diffoscope, erofs-utils (podvm mkosi --check-reproducible)" "10-30 s" install_repro_tools
  echo "install-tools.d/repro.sh: $(diffoscope --version), erofs-utils $(dpkg-query -W -f='${Version}' erofs-utils)"
fi
