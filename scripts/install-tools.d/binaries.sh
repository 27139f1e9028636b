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
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    podman buildah skopeo tar zstd busybox-static apache2-utils ca-certificates
}

install_distribution_registry() {
  local target=/usr/local/bin/distribution-registry
  if [ -x "$target" ] && "$target" --version 2>/dev/null | grep -q " $PODVM_REGISTRY_VERSION"; then
    return 0
  fi
  local go_bin gobin
  go_bin="$(command -v go || echo /usr/local/go/bin/go)"
  gobin="$(mktemp -d)"
  HOME="${HOME:-/root}" GOBIN="$gobin" GOFLAGS=-mod=mod "$go_bin" install \
    "github.com/distribution/distribution/v3/cmd/registry@$PODVM_REGISTRY_VERSION"
  install -m 0755 "$gobin/registry" "$target"
  rm -rf "$gobin"
}

install_binaries_packages
install_distribution_registry
echo "install-tools.d/binaries.sh: $(podman --version), $(buildah --version | cut -d' ' -f1-3), $(skopeo --version), $(distribution-registry --version)"
