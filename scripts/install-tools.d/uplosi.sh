# Sourced by install-tools.sh (root, set -euo pipefail): the upload capability.
# - uplosi, pinned, built from the Go module proxy into /usr/local/bin.
# - uplosi-config-oracle, built against the same pinned uplosi module: prints how uplosi's own config
#   package reads a configuration directory; podvm's differential test compares its reading with it.
# - moto's AWS emulator, pinned, in its own virtualenv; the upload tests start it on 127.0.0.1.

PODVM_UPLOSI_VERSION=0.4.0
PODVM_UPLOSI_ORACLE=/opt/podvm-tools/bin/uplosi-config-oracle
PODVM_UPLOSI_ORACLE_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/engine/src/test/go/uplosi-config-oracle"
PODVM_MOTO_VERSION=5.2.5
PODVM_MOTO_VENV=/opt/podvm-tools/moto

uplosi_installed_version() {
  [ -x /usr/local/bin/uplosi ] || return 0
  /usr/local/bin/uplosi --version 2>/dev/null | awk '{print $3}'
}

# `go install github.com/edgelesssys/uplosi@v0.4.0` needs the module's version list, which the proxy
# refuses for this module; building it as the dependency of a scratch module needs only the pinned
# version. The -X flag makes `uplosi --version` print the real version (go install leaves 0.0.0-dev).
install_uplosi() {
  if [ "$(uplosi_installed_version)" = "$PODVM_UPLOSI_VERSION" ]; then
    return 0
  fi
  need_go
  local scratch
  scratch="$(mktemp -d)"
  (
    cd "$scratch"
    go mod init podvm.local/uplosi-build >/dev/null 2>&1
    printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/edgelesssys/uplosi"\n' >tools.go
    go get "github.com/edgelesssys/uplosi@v$PODVM_UPLOSI_VERSION" 2>&1 | tail -n 2
    go build -trimpath -ldflags "-X main.version=$PODVM_UPLOSI_VERSION" -o /usr/local/bin/uplosi.new \
      github.com/edgelesssys/uplosi
    mv /usr/local/bin/uplosi.new /usr/local/bin/uplosi
  )
  rm -rf "$scratch"
}

# Rebuilt when its source changes (the source's hash is kept next to the binary). Same route as uplosi:
# a scratch module that requires the pinned uplosi; mergo and toml then come at the versions uplosi's
# go.mod pins (mergo v1.0.1, toml v1.4.0 for uplosi 0.4.0), which `--version` prints.
install_uplosi_config_oracle() {
  local stamp="$PODVM_UPLOSI_ORACLE.source-sha256" want
  want="$(cat "$PODVM_UPLOSI_ORACLE_SRC/main.go" <(echo "$PODVM_UPLOSI_VERSION") | sha256sum | awk '{print $1}')"
  if [ -x "$PODVM_UPLOSI_ORACLE" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  need_go
  local scratch
  scratch="$(mktemp -d)"
  (
    cd "$scratch"
    go mod init podvm.local/uplosi-config-oracle >/dev/null 2>&1
    cp "$PODVM_UPLOSI_ORACLE_SRC/main.go" .
    go get "github.com/edgelesssys/uplosi@v$PODVM_UPLOSI_VERSION" 2>&1 | tail -n 2
    # toml is imported directly; take the version uplosi requires, not the newest.
    go get "github.com/BurntSushi/toml@$(go list -m -f '{{.Version}}' github.com/BurntSushi/toml)" 2>&1 | tail -n 2
    mkdir -p "$(dirname "$PODVM_UPLOSI_ORACLE")"
    go build -trimpath -o "$PODVM_UPLOSI_ORACLE.new" .
    mv "$PODVM_UPLOSI_ORACLE.new" "$PODVM_UPLOSI_ORACLE"
  )
  rm -rf "$scratch"
  echo "$want" >"$stamp"
}

install_moto() {
  if [ -x "$PODVM_MOTO_VENV/bin/python" ] &&
    [ "$("$PODVM_MOTO_VENV/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null)" = "$PODVM_MOTO_VERSION" ]; then
    return 0
  fi
  if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    apt_install python3-venv
  fi
  rm -rf "$PODVM_MOTO_VENV"
  python3 -m venv "$PODVM_MOTO_VENV"
  "$PODVM_MOTO_VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$PODVM_MOTO_VERSION"
}

if wants upload; then
  step "uplosi $PODVM_UPLOSI_VERSION (built with Go)" "3-6 min" install_uplosi
  echo "install-tools.d/uplosi.sh: $(/usr/local/bin/uplosi --version)"
fi
if wants test; then
  step "uplosi-config-oracle (uplosi's own config reading, for the tests)" "10-60 s" install_uplosi_config_oracle
  step "moto $PODVM_MOTO_VERSION (the AWS emulator of the tests)" "1-2 min" install_moto
  echo "install-tools.d/uplosi.sh: $("$PODVM_UPLOSI_ORACLE" --version | tr '\n' ' ')moto $("$PODVM_MOTO_VENV/bin/python" -c 'import moto; print(moto.__version__)')"
fi
