package io.jenkins.plugins.podvm;

import hudson.EnvVars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Small stand-ins for mkosi, podman and uplosi, put in front of the agent's PATH. Each records what it was given
 * in {@code record/}: its arguments, the names of the credential variables it saw, and for a credential
 * file its path, its mode and its directory's mode, so that tests can check how secrets were handed over
 * and that the files are gone afterwards. The record directory is written into each script: the engine gives
 * a tool only the variables it needs, so a test variable would not reach it.
 */
final class FakeTools {
    final Path bin;
    final Path record;

    private FakeTools(Path bin, Path record) {
        this.bin = bin;
        this.record = record;
    }

    static FakeTools in(Path dir) throws IOException {
        FakeTools tools = new FakeTools(Files.createDirectories(dir.resolve("bin")),
                Files.createDirectories(dir.resolve("record")));
        tools.write(tools.bin, "mkosi", MKOSI);
        tools.write(tools.bin, "podman", PODMAN);
        tools.write(tools.bin, "uplosi", UPLOSI);
        return tools;
    }

    /** The agent process's environment: the fakes first on PATH. */
    EnvVars agentEnvironment() {
        EnvVars env = new EnvVars();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        return env;
    }

    /** The fake mkosi under another name in another directory, recording here like the others. */
    void writeMkosi(Path directory, String name) throws IOException {
        write(Files.createDirectories(directory), name, MKOSI);
    }

    String recorded(String name) throws IOException {
        return Files.readString(record.resolve(name), StandardCharsets.UTF_8);
    }

    boolean hasRecorded(String name) {
        return Files.exists(record.resolve(name));
    }

    private void write(Path directory, String name, String script) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, script.replace("@RECORD@", record.toString()), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** mkosi 15 (the seed's presets layout, no JSON summary): "builds" build/system.raw in the staged tree. */
    private static final String MKOSI = """
            #!/bin/bash
            set -eu
            rec="@RECORD@"
            if [ "$*" = "--version" ]; then echo "mkosi 15"; exit 0; fi
            printf '%s\\n' "$@" > "$rec/mkosi.argv"
            case " $* " in *" --force build "*) ;; *) echo "fake mkosi: unexpected call: $*" >&2; exit 2 ;; esac
            pwd > "$rec/mkosi.cwd"
            if [ -f resources/authorized_keys ]; then
              cp resources/authorized_keys "$rec/authorized_keys"
              stat -c %a resources/authorized_keys > "$rec/authorized_keys.mode"
            fi
            [ -f resources/buildDebugImage ] && touch "$rec/debug-variant"
            mkdir -p build
            head -c 65536 /dev/zero > build/system.raw
            echo '{"config":{"name":"system"},"packages":[{"name":"kata-agent"},{"name":"systemd"}]}' > build/system.manifest
            echo "fake mkosi: wrote build/system.raw"
            """;

    /**
     * uplosi 0.4.0's command form: {@code --help} lists the upload command, {@code upload IMAGE} reads the
     * uplosi.conf that podvm wrote in its working directory and prints one image reference on stdout.
     */
    private static final String UPLOSI = """
            #!/bin/bash
            set -eu
            rec="@RECORD@"
            case "${1:-}" in
              --help) printf 'Usage:\\n  uplosi [command]\\n\\nAvailable Commands:\\n  upload       Upload an image\\n'; exit 0 ;;
              --version) echo "uplosi version 0.4.0"; exit 0 ;;
              upload) ;;
              *) echo "fake uplosi: unexpected call: $*" >&2; exit 2 ;;
            esac
            printf '%s\\n' "$@" > "$rec/uplosi.argv"
            env | cut -d= -f1 | sort > "$rec/uplosi.env-names"
            [ -f "$2" ] || { echo "fake uplosi: no image $2" >&2; exit 1; }
            [ -f uplosi.conf ] || { echo "fake uplosi: no uplosi.conf in $PWD" >&2; exit 1; }
            cp uplosi.conf "$rec/uplosi.conf"
            # Say which identity is used, as a cloud SDK's log might: a secret client id must be masked there.
            [ -z "${AZURE_CLIENT_ID:-}" ] || echo "fake uplosi: signing in as client $AZURE_CLIENT_ID" >&2
            if [ -n "${GOOGLE_APPLICATION_CREDENTIALS:-}" ]; then
              echo "$GOOGLE_APPLICATION_CREDENTIALS" > "$rec/gcp-key.path"
              stat -c %a "$GOOGLE_APPLICATION_CREDENTIALS" > "$rec/gcp-key.mode"
              stat -c %a "$(dirname "$GOOGLE_APPLICATION_CREDENTIALS")" > "$rec/gcp-key.dir-mode"
            fi
            echo "fake uplosi: uploaded $2" >&2
            echo "arn:aws:ec2:eu-central-1:123456789012:image/ami-0fake"
            """;

    /** podman for pull mode: pull (reads the auth file), create, export (a one-file tree), rm. */
    private static final String PODMAN = """
            #!/bin/bash
            set -eu
            rec="@RECORD@"
            echo "$*" >> "$rec/podman.calls"
            case "${1:-}" in
              pull)
                env | cut -d= -f1 | sort > "$rec/podman.env-names"
                if [ -n "${REGISTRY_AUTH_FILE:-}" ]; then
                  echo "$REGISTRY_AUTH_FILE" > "$rec/authfile.path"
                  stat -c %a "$REGISTRY_AUTH_FILE" > "$rec/authfile.mode"
                  stat -c %a "$(dirname "$REGISTRY_AUTH_FILE")" > "$rec/authfile.dir-mode"
                  cp "$REGISTRY_AUTH_FILE" "$rec/authfile.json"
                  # Say who we pull as, as a tool's log might: a secret user must be masked there.
                  auth="$(sed -n 's/.*"auth" *: *"\\([^"]*\\)".*/\\1/p' "$REGISTRY_AUTH_FILE" | head -n 1)"
                  echo "fake podman: pulling as $(printf '%s' "$auth" | base64 -d | cut -d: -f1)"
                fi
                echo "Writing manifest to image destination" ;;
              create) echo "0123456789ab" ;;
              export)
                out="$3"; tmp="$(mktemp -d)"
                mkdir -p "$tmp/usr/local/bin"; echo agent > "$tmp/usr/local/bin/kata-agent"
                tar -cf "$out" -C "$tmp" . ; rm -rf "$tmp" ;;
              rm) ;;
              *) echo "fake podman: unexpected call: $*" >&2; exit 2 ;;
            esac
            """;
}
