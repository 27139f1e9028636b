package io.podvm.engine.upload;

import io.podvm.engine.testing.FakeTools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for uplosi where the point is the call itself: it records its argv, the names (never the
 * values) of its environment, its working directory and the modes of the credential files, checks its
 * arguments as strictly as uplosi's cobra parser would, and prints the secrets it was given, as a leaky
 * tool might, so that the tests see the engine mask them. PODVM_FAKE_UPLOSI_MODE picks success, fail,
 * sleep or hang (a child process that only an abort ends).
 */
final class FakeUplosi {
    static final String RECORD = "PODVM_FAKE_UPLOSI_RECORD";
    static final String MODE = "PODVM_FAKE_UPLOSI_MODE";
    static final String REF = "arn:aws:ec2:us-east-1:123456789012:image/ami-0fake0000000000001";

    /** What --help prints for each form: uplosi 0.4.0's, an early release's, and something else. */
    enum Form { UPLOAD_COMMAND, IMAGE_ARGUMENT, UNKNOWN }

    private static final String SCRIPT = """
            #!/bin/bash
            set -u
            record="${PODVM_FAKE_UPLOSI_RECORD:-@RECORD@}"
            mode="${PODVM_FAKE_UPLOSI_MODE:-@MODE@}"
            form="@FORM@"
            {
              printf 'argv'; printf ' [%s]' "$@"; printf '\\n'
              printf 'env %s\\n' "$(env | cut -d= -f1 | sort | tr '\\n' ' ')"
              printf 'cwd %s\\n' "$PWD"
              printf 'tmpdir %s\\n' "${TMPDIR:-}"
            } >>"$record"
            case "${1:-}" in
              --help)
                case "$form" in
                  UPLOAD_COMMAND) printf 'uplosi is a tool for uploading images to a cloud provider\\n\\nUsage:\\n  uplosi [command]\\n\\nAvailable Commands:\\n  completion   Generate the autocompletion script\\n  help         Help about any command\\n  measurements Precalculate TPM PCR measurements\\n  upload       Upload an image to a cloud provider\\n' ;;
                  IMAGE_ARGUMENT) printf 'uplosi is a tool for uploading images to a cloud provider\\n\\nUsage:\\n  uplosi <image> [flags]\\n\\nFlags:\\n  -i, --increment-version   increment version number in config after upload\\n' ;;
                  *) printf 'Usage: uplosi CONFIG\\n' ;;
                esac
                exit 0 ;;
              --version) echo "uplosi version 9.9.9-fake"; exit 0 ;;
            esac
            echo "started" >>"$record"
            if [ "$form" = UPLOAD_COMMAND ]; then
              [ "${1:-}" = upload ] || { echo "Error: unknown command \\"${1:-}\\" for \\"uplosi\\"" >&2; exit 1; }
              shift
            fi
            [ $# -ge 1 ] || { echo "Error: accepts 1 arg(s), received 0" >&2; exit 1; }
            image="$1"; shift
            [ -f "$image" ] || { echo "Error: image $image is not a file" >&2; exit 1; }
            inc=0
            for arg in "$@"; do
              case "$arg" in
                --increment-version) [ "$form" = UPLOAD_COMMAND ] || { echo "Error: -i is a no-op here" >&2; exit 1; }; inc=1 ;;
                --enable-variant-glob=?*|--disable-variant-glob=?*) ;;
                *) echo "Error: unknown flag: $arg" >&2; exit 1 ;;
              esac
            done
            [ -f uplosi.conf ] || { echo "Error: parsing config files: reading config: open uplosi.conf: no such file" >&2; exit 1; }
            cp uplosi.conf "$record.conf"
            for var in GOOGLE_APPLICATION_CREDENTIALS OS_CLIENT_CONFIG_FILE; do
              file="${!var:-}"
              [ -n "$file" ] || continue
              echo "credfile $var $(stat -c %a "$file") $(stat -c %a "$(dirname "$file")") $(dirname "$file")" >>"$record"
              cat "$file" >&2
            done
            echo "leak: ${AWS_SECRET_ACCESS_KEY:-} ${AZURE_CLIENT_SECRET:-}" >&2
            echo "leak on stdout: ${AWS_SECRET_ACCESS_KEY:-}"
            case "$mode" in
              fail)
                echo "2026/01/01 00:00:00 Bucket podvm doesn't exist. Creating." >&2
                # A leaky error, as a tool may quote a signature or a request: the secret, base64 and URL-encoded.
                secret="${AWS_SECRET_ACCESS_KEY:-}"
                b64="$(printf '%s' "$secret" | base64 -w0)"
                url="$(printf '%s' "$secret" | sed -e 's|%|%25|g' -e 's|/|%2F|g' -e 's|+|%2B|g' -e 's|=|%3D|g')"
                echo "Error: uploading variants: uploading image: ensuring bucket exists: creating bucket podvm: AccessDenied: key $secret (base64 $b64, url $url)" >&2
                exit 1 ;;
              sleep)
                # One process that only a signal ends, as uplosi is while it uploads.
                exec sleep 600 ;;
              hang)
                sleep 600 &
                echo "$!" >"$record.child"
                echo "$$" >"$record.pid"
                echo "2026/01/01 00:00:00 Uploading os image as temporary blob" >&2
                wait
                exit 1 ;;
            esac
            if [ "$inc" = 1 ]; then
              for f in $(grep -oE "imageVersionFile = [\\"'][^\\"']+" uplosi.conf | sed -E "s/.*[\\"']//" | sort -u); do
                IFS=. read -r a b c <"$f"
                printf '%s.%s.%s' "$a" "$b" "$((c + 1))" >"$f"
              done
            fi
            echo "@REF@"
            """;

    private final Path script;
    private final Path record;

    private FakeUplosi(Path script, Path record) {
        this.script = script;
        this.record = record;
    }

    /** A fake that records and acts as the request's environment says (see {@link #configure}). */
    static FakeUplosi create(Path dir, Form form) throws IOException {
        return write(dir, form, "/dev/null", "success");
    }

    /**
     * A fake whose record file and mode are written into the script, for runs where the request's
     * environment does not reach uplosi (the CLI passes only the variables uplosi needs). It records
     * every call, its --help probe too.
     */
    static FakeUplosi create(Path dir, Form form, String mode) throws IOException {
        return write(dir, form, dir.resolve("record.txt").toString(), mode);
    }

    private static FakeUplosi write(Path dir, Form form, String defaultRecord, String mode) throws IOException {
        Path script = new FakeTools(dir).write("uplosi", SCRIPT.replace("@FORM@", form.name()).replace("@REF@", REF)
                .replace("@RECORD@", defaultRecord).replace("@MODE@", mode));
        return new FakeUplosi(script, dir.resolve("record.txt"));
    }

    /** The mode when PODVM_FAKE_UPLOSI_MODE does not reach it (the podvm CLI passes only what uplosi needs). */
    FakeUplosi defaultMode(String mode) throws IOException {
        Files.writeString(script, Files.readString(script).replace("PODVM_FAKE_UPLOSI_MODE:-success}",
                "PODVM_FAKE_UPLOSI_MODE:-" + mode + "}"));
        return this;
    }

    String path() {
        return script.toString();
    }

    Path record() {
        return record;
    }

    /** The request's environment for this fake: where to record and what to do. */
    UploadRequest.Builder configure(UploadRequest.Builder request, String mode) {
        return request.uplosi(path()).environment(RECORD, record.toString()).environment(MODE, mode);
    }

    List<String> recordLines() throws IOException {
        return Files.exists(record) ? Files.readAllLines(record) : List.of();
    }

    /** Whether uplosi was asked to upload (not just for --help/--version). */
    boolean uploadStarted() throws IOException {
        return recordLines().contains("started");
    }

    String config() throws IOException {
        return Files.readString(Path.of(record + ".conf"));
    }
}
