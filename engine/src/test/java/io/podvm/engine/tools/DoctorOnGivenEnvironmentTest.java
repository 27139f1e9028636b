package io.podvm.engine.tools;

import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.testing.FakeTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The doctor looks for tools where the engine will: on the PATH of the environment it is given. */
class DoctorOnGivenEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void findsAToolThatIsOnlyOnTheGivenPath() throws Exception {
        Path tool = new FakeTools(dir).write("podvm-doctor-probe", "#!/bin/sh\necho 'podvm-doctor-probe 7.1'\n");
        List<ToolCheck> checks = List.of(ToolCheck.of("image", "podvm-doctor-probe", "nothing to install")
                .version(Pattern.compile("probe\\s+(\\d+(?:\\.\\d+)*)"), 7, "--version"));

        Doctor.Finding found = Doctor.examine(checks, HostEnvironment.of(Map.of("PATH", dir.toString()))).get(0);
        Doctor.Finding missing = Doctor.examine(checks).get(0);

        assertThat(found.path()).isEqualTo(tool.toString());
        assertThat(found.version()).isEqualTo("7.1");
        assertThat(found.supported()).isTrue();
        assertThat(missing.found()).isFalse();
    }
}
