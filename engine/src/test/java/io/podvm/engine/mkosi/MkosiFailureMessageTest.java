package io.podvm.engine.mkosi;

import io.podvm.engine.PodvmException;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.testing.FakeTools;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The closing sentence of a failed build carries the tool's own last error line, not only its exit code: a
 * full disk shows up hundreds of lines above mkosi's last words. The fake mkosi prints what mkosi 24.3 prints
 * when a copy runs out of space (the point is the message); {@link MkosiRealFailureTest} fails a real build.
 * Like mkosi, it writes its own '‣' lines to stderr: on stdout they could reach podvm after the closing line.
 */
class MkosiFailureMessageTest {
    @TempDir
    Path work;

    @Test
    void aFailedBuildSaysWhy() throws Exception {
        Path bin = work.resolve("bin");
        new FakeTools(bin).write("mkosi", """
                #!/bin/sh
                case "$*" in
                  *--version*) echo "mkosi 24.3"; exit 0 ;;
                  *summary*) echo '{"Images": [{"Format": "disk", "Output": "system", "OutputDirectory": "build"}]}'; exit 0 ;;
                esac
                echo "‣ Installing Debian" >&2
                echo "cp: error writing '/var/tmp/mkosi-workspace/root/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1': No space left on device" >&2
                i=0; while [ $i -lt 2000 ]; do echo "Unpacking package $i ..."; i=$((i+1)); done
                echo "‣ \\"cp --recursive --no-dereference /var/tmp/mkosi-workspace/root /work\\" returned non-zero exit code 1." >&2
                exit 1
                """);
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.put("PATH", bin + ":" + vars.get("PATH"));

        assertThatThrownBy(() -> new ImageBuilder(TestLogs.discard(), work, HostEnvironment.of(vars))
                .build(ImageRequest.builder().packageCache("cache").build()))
                .isInstanceOf(PodvmException.class)
                .hasMessage("mkosi build failed (exit 1: cp: error writing '/var/tmp/mkosi-workspace/root/usr/lib/"
                        + "x86_64-linux-gnu/libLLVM-15.so.1': No space left on device). The whole output is in the"
                        + " log above. No image was written to the output directory.");
    }
}
