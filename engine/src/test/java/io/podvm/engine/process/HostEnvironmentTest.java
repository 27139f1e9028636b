package io.podvm.engine.process;

import io.podvm.engine.testing.FakeTools;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void aBareNameIsFoundOnTheGivenPathNotOnTheJvms() throws Exception {
        Path tool = new FakeTools(dir.resolve("only-here")).write("podvm-test-tool", "#!/bin/sh\nexit 0\n");
        HostEnvironment host = HostEnvironment.of(Map.of("PATH", "/nonexistent:" + tool.getParent()));

        assertThat(host.findExecutable("podvm-test-tool")).contains(tool);
        assertThat(HostEnvironment.current().findExecutable("podvm-test-tool")).isEmpty();
        assertThat(HostEnvironment.of(Map.of("PATH", "/usr/bin")).findExecutable("podvm-test-tool")).isEmpty();
    }

    @Test
    void aPathIsTakenAsGivenAndMustBeAnExecutableFile() throws Exception {
        Path tool = new FakeTools(dir).write("tool", "#!/bin/sh\nexit 0\n");
        Path plain = Files.writeString(dir.resolve("plain"), "not a program");
        HostEnvironment host = HostEnvironment.of(Map.of("PATH", "/usr/bin"));

        assertThat(host.findExecutable(tool.toString())).contains(tool);
        assertThat(host.findExecutable(plain.toString())).isEmpty();
        assertThat(host.findExecutable(dir.toString())).isEmpty();
        assertThat(host.findExecutable("")).isEmpty();
    }

    @Test
    void holdsACopyThatCannotBeChangedAndShowsNoValues() {
        Map<String, String> given = new HashMap<>(Map.of("PODVM_REGISTRY_PASSWORD", "hunter2-value"));
        given.put("NULL_VALUE", null);
        HostEnvironment host = HostEnvironment.of(given);
        given.put("LATER", "x");

        assertThat(host.variables()).containsOnlyKeys("PODVM_REGISTRY_PASSWORD");
        assertThat(host.get("PODVM_REGISTRY_PASSWORD")).contains("hunter2-value");
        assertThat(host.get("LATER")).isEmpty();
        assertThatThrownBy(() -> host.variables().put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(host.toString()).doesNotContain("hunter2-value");
    }

    @Test
    void travelsToAnAgentSerialized() throws Exception {
        HostEnvironment host = HostEnvironment.of(Map.of("PATH", "/opt/mkosi/bin:/usr/bin", "HOME", "/home/ci"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(host);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(((HostEnvironment) in.readObject()).variables()).isEqualTo(host.variables());
        }
    }

    @Test
    void aChildGetsTheAllowedHostVariablesAndThoseTheCallSetsNothingElse() {
        Map<String, String> vars = new HashMap<>();
        vars.put("PATH", "/usr/bin:/bin");
        vars.put("HOME", "/home/ci");
        vars.put("LC_ALL", "C.UTF-8");
        vars.put("https_proxy", "http://proxy:3128");
        vars.put("NO_PROXY", "localhost");
        vars.put("PODVM_SSH_KEY_PASSPHRASE", "passphrase-value");
        vars.put("AWS_SECRET_ACCESS_KEY", "aws-value");
        vars.put("MKOSI_DNF", "dnf5");
        TestLogs.Captured log = new TestLogs.Captured();
        ProcessRunner runner = new ProcessRunner(log.log(), HostEnvironment.of(vars));

        ExecResult base = runner.run(ExecSpec.of("/usr/bin/env").env("EXTRA", "set-by-the-call").captureStdout()
                .onStdout(line -> { }));
        ExecResult mkosi = runner.run(ExecSpec.of("/usr/bin/env").inherit(ChildEnvironment.MKOSI).captureStdout()
                .onStdout(line -> { }));

        assertThat(base.output()).containsExactlyInAnyOrder("PATH=/usr/bin:/bin", "HOME=/home/ci", "LC_ALL=C.UTF-8",
                "https_proxy=http://proxy:3128", "NO_PROXY=localhost", "EXTRA=set-by-the-call");
        assertThat(mkosi.output()).contains("MKOSI_DNF=dnf5").noneMatch(l -> l.startsWith("PODVM_")
                || l.startsWith("AWS_") || l.startsWith("EXTRA"));
    }

    @Test
    void podvmsOwnVariablesNeverPassWhateverTheList() {
        ChildEnvironment wide = ChildEnvironment.BASE.plus(java.util.List.of("PODVM_REGISTRY_PASSWORD"),
                java.util.List.of("PODVM_", ""));

        assertThat(wide.from(HostEnvironment.of(Map.of("PODVM_REGISTRY_PASSWORD", "x", "PODVM_SSH_KEY_PASSPHRASE", "y",
                "OTHER", "z")))).containsOnlyKeys("OTHER");
    }
}
