package io.podvm.engine.binaries;

import io.podvm.engine.testing.FakeTools;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A strict stand-in for the docker CLI with buildx (no Docker daemon can run here). It answers the probes the
 * way docker 28 does, with or without a daemon, and checks {@code buildx build} arguments as buildx would:
 * known flags only, a {@code type=local,dest=} output, an existing Dockerfile, exactly one context directory.
 * Every accepted build records its arguments, one a line, in {@code calls}; the "build" writes a small tree.
 */
final class FakeDocker {
    private FakeDocker() {
    }

    static Path install(FakeTools tools, Path calls, boolean daemonRunning) throws IOException {
        String script = """
                #!/bin/bash
                set -u
                calls='%s'
                daemon=%s
                usage() { echo "$1" >&2; echo "See 'docker buildx build --help'." >&2; exit 1; }
                if [ "$*" = "buildx version" ]; then
                  echo "github.com/docker/buildx v0.23.0 28c90eadc4b9c48ae3a78c1c8e1ea1e9a8f2b9d1"; exit 0
                fi
                if [ "$*" = "info --format {{.ServerVersion}}" ]; then
                  if [ "$daemon" = yes ]; then echo "28.2.2"; exit 0; fi
                  echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2
                  exit 1
                fi
                if [ "${1:-}" != buildx ] || [ "${2:-}" != build ]; then
                  echo "docker: unknown command: docker $*" >&2; exit 1
                fi
                [ "$daemon" = yes ] || { echo "ERROR: Cannot connect to the Docker daemon" >&2; exit 1; }
                shift 2
                file=""; output=""; context=""; args=()
                while [ $# -gt 0 ]; do
                  case "$1" in
                    --progress=plain|--progress=auto|--progress=tty) ;;
                    --progress) [ $# -ge 2 ] || usage "flag needs an argument: --progress"; shift ;;
                    -f|--file) [ $# -ge 2 ] || usage "flag needs an argument: 'f' in -f"; file="$2"; shift ;;
                    -o|--output) [ $# -ge 2 ] || usage "flag needs an argument: --output"; output="$2"; shift ;;
                    --build-arg)
                      [ $# -ge 2 ] || usage "flag needs an argument: --build-arg"
                      [[ "$2" == *=* ]] || usage "ERROR: invalid build-arg: $2"
                      args+=("$2"); shift ;;
                    -*) usage "unknown flag: $1" ;;
                    *) [ -z "$context" ] || usage "ERROR: \\"docker buildx build\\" requires exactly 1 argument."
                       context="$1" ;;
                  esac
                  shift
                done
                [ -n "$context" ] || usage "ERROR: \\"docker buildx build\\" requires exactly 1 argument."
                [ -d "$context" ] || { echo "ERROR: unable to prepare context: path \\"$context\\" not found" >&2; exit 1; }
                [ -n "$file" ] && [ -f "$file" ] || { echo "ERROR: failed to read dockerfile: open $file: no such file or directory" >&2; exit 1; }
                [[ "$output" =~ ^type=local,dest=(/.+)$ ]] || { echo "ERROR: invalid output: $output" >&2; exit 1; }
                dest="${BASH_REMATCH[1]}"
                [ -d "$(dirname "$dest")" ] || { echo "ERROR: no such directory: $(dirname "$dest")" >&2; exit 1; }
                { for a in "${ORIGINAL[@]}"; do printf '%%s\\n' "$a"; done; } > "$calls"
                mkdir -p "$dest/usr/local/bin" "$dest/etc"
                printf 'kata-agent built by buildx\\n' > "$dest/usr/local/bin/kata-agent"
                chmod 0755 "$dest/usr/local/bin/kata-agent"
                printf '%%s\\n' "${args[@]}" > "$dest/etc/build-args"
                echo "#1 [internal] load build definition from $(basename "$file")" >&2
                echo "#9 exporting to client directory" >&2
                """.formatted(calls, daemonRunning ? "yes" : "no");
        // Keep the original arguments for the record before they are shifted away.
        script = script.replace("set -u\n", "set -u\nORIGINAL=(\"$@\")\n");
        return tools.write("docker", script);
    }
}
