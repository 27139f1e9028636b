# The seed's verbs, on top of the podvm CLI. Run as root (mkosi builds images as root here).
# Maven is the wrapper's (./mvnw, Maven 3.9.16 from Maven Central): the plugin parent needs 3.9.6 or newer.
SHELL := /bin/bash
PODVM := bin/podvm
CLI_JAR = $(wildcard engine/target/podvm-engine-*-cli.jar)
# Root's key for debug images: the first public key found, or none (console autologin only).
SSH_PUBLIC_KEY ?= $(firstword $(wildcard $(HOME)/.ssh/id_ed25519.pub $(HOME)/.ssh/id_ecdsa.pub $(HOME)/.ssh/id_rsa.pub))
PODVM_MKOSI_FLAGS ?= --qcow2

.PHONY: tools tools-image cli install image image-debug test plugin doctor clean
# scripts/install-tools.sh PART: as root, or through sudo.
INSTALL_TOOLS = if [ "$$(id -u)" -eq 0 ]; then scripts/install-tools.sh $(1); else sudo scripts/install-tools.sh $(1); fi

tools:
	@$(call INSTALL_TOOLS,all)

# Only what an image build needs (no uplosi, container builders or test services).
tools-image:
	@$(call INSTALL_TOOLS,image)

cli:
	./mvnw -B -q package -DskipTests

# Puts `podvm` on PATH: a link to bin/podvm of this checkout (which finds its jar through the link).
PREFIX ?= /usr/local
install: cli
	ln -sfn "$(CURDIR)/bin/podvm" "$(PREFIX)/bin/podvm"

image: tools-image cli
	$(PODVM) mkosi --variant production $(PODVM_MKOSI_FLAGS)

image-debug: tools-image cli
	$(PODVM) mkosi --variant debug $(if $(SSH_PUBLIC_KEY),--authorized-keys $(SSH_PUBLIC_KEY)) $(PODVM_MKOSI_FLAGS)

doctor: cli
	$(PODVM) doctor

test: tools
	./mvnw -B verify

# The Jenkins plugin: needs the Jenkins Maven repository (https://repo.jenkins-ci.org/public/).
plugin:
	./mvnw -B -Pjenkins -pl plugin -am verify

clean:
	rm -rf build
	./mvnw -B -q clean
