# Sourced by install-tools.sh (root, set -euo pipefail): the tools of `podvm binaries` and of its tests.
# - podman 4.3 and buildah 1.28 (Debian 12): both write a build's files to a directory with
#   `--output type=local,dest=DIR`, and with `--isolation=chroot` they run RUN steps without a container
#   runtime or a Docker daemon.
# - skopeo 1.9: takes an image out of a registry into an OCI layout without running it (the pull mode).
# - tar and zstd unpack image layers; busybox-static gives the tests a base image made here, since no
#   image can be pulled from the internet.
# - apache2-utils' htpasswd makes the bcrypt password file of the test registry.
# - The CNCF distribution registry, pinned, from the Go module proxy: the real OCI registry with basic
#   auth that the pull tests start on 127.0.0.1.

PODVM_REGISTRY_VERSION=v3.1.2

install_binaries_packages() {
  apt_install podman buildah skopeo tar zstd ca-certificates
}

install_binaries_test_packages() {
  apt_install busybox-static apache2-utils
}

install_test_registry() {
  install_binaries_test_packages
  install_distribution_registry
}

install_distribution_registry() {
  local target=/usr/local/bin/distribution-registry
  if [ -x "$target" ] && "$target" --version 2>/dev/null | grep -q " $PODVM_REGISTRY_VERSION"; then
    return 0
  fi
  need_go
  local gobin
  gobin="$(mktemp -d)"
  HOME="${HOME:-/root}" GOBIN="$gobin" GOFLAGS=-mod=mod go install \
    "github.com/distribution/distribution/v3/cmd/registry@$PODVM_REGISTRY_VERSION"
  install -m 0755 "$gobin/registry" "$target"
  rm -rf "$gobin"
}

if wants binaries; then
  step "container builders (podman, buildah, skopeo)" "1-2 min" install_binaries_packages
  echo "install-tools.d/binaries.sh: $(podman --version), $(buildah --version | cut -d' ' -f1-3), $(skopeo --version)"
fi
if wants test; then
  step "the test registry (distribution $PODVM_REGISTRY_VERSION, built with Go)" "2-4 min" \
    install_test_registry
  echo "install-tools.d/binaries.sh: $(distribution-registry --version)"
fi
