# Sourced by install-tools.sh (root, set -euo pipefail): the tools of `podvm boot` and `podvm measure`.
# - qemu-system-x86 and ovmf (OVMF_CODE_4M.fd measures into a TPM 2.0) come with the base tools.
# - swtpm 0.7 and swtpm-tools (Debian 12): the software TPM 2.0 that QEMU's `-tpmdev emulator` talks to.
# - mtools: `podvm measure` reads the UKI from the image's ESP without mounting it.
# - osslsigncode and openssl: the tests check podvm's Authenticode digest against a signature made and verified
#   by osslsigncode; systemd-boot-efi (base tools) gives them a PE image to sign; binutils' objcopy cuts a
#   UKI into the section files that systemd-measure, the reference for PCR 11, reads.

PODVM_BOOT_PACKAGES="swtpm swtpm-tools mtools ovmf osslsigncode openssl binutils"

install_boot_tools() {
  # shellcheck disable=SC2086
  if dpkg-query -W -f='${Status}\n' $PODVM_BOOT_PACKAGES 2>/dev/null | grep -vq "install ok installed" \
      || [ "$(dpkg-query -W -f='${Status}\n' $PODVM_BOOT_PACKAGES 2>/dev/null | wc -l)" -lt 7 ]; then
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PODVM_BOOT_PACKAGES
  fi
}

if wants boot; then
  step "swtpm, mtools, osslsigncode (podvm boot and measure)" "10-30 s" install_boot_tools
  echo "install-tools.d/boot.sh: $(swtpm --version | head -1)"
fi
