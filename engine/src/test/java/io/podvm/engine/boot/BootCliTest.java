package io.podvm.engine.boot;

import io.podvm.engine.testing.BootLeftovers;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.EmptyEspDisk;
import io.podvm.engine.testing.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code podvm boot} from the command line with the real QEMU, OVMF and swtpm: bad input is refused at once;
 * an image that cannot boot fails with the console's last lines and leaves its console log; an abort ends
 * QEMU and swtpm and removes their state directory. (A real image's boot is in RealImageBuildTest, which
 * builds one.)
 */
class BootCliTest {
    @TempDir
    Path work;

    @Test
    void badInputIsRefusedBeforeAnythingStarts() throws Exception {
        Set<String> before = bootDirs();
        Path image = Files.writeString(work.resolve("system.raw"), "not a disk");
        assertRefused(run("missing.raw"), "IMAGE: 'missing.raw' is not valid; no such file");
        assertRefused(run("."), "IMAGE: '.' is not valid; it is not a file");
        assertRefused(run("system.raw", "--timeout", "0"), "--timeout: '0' is not valid; the timeout is in seconds");
        assertRefused(run("system.raw", "--memory", "64"), "--memory: '64' is not valid; the memory is in MiB, from 256");
        assertRefused(run("system.raw", "--keep-console", "no/such/dir/console.log"),
                "--keep-console: '" + work.resolve("no/such/dir/console.log") + "' is not valid; the console log goes"
                        + " there and its directory must exist");
        assertThat(names()).containsExactly("system.raw");
        assertThat(bootDirs()).isEqualTo(before);
        assertThat(Files.readString(image)).isEqualTo("not a disk");
    }

    @Test
    void anImageWithoutAUkiFailsWithTheConsolesLastLines() throws Exception {
        Path disk = EmptyEspDisk.create(work);
        CliProcess.Result result = run(disk.getFileName().toString(), "--timeout", "300", "--keep-console",
                "console.log");
        System.out.println(result.stderr());
        assertThat(result.exitCode()).as("stderr:\n%s", result.stderr()).isEqualTo(1);
        assertThat(result.stderr()).contains("podvm: The image did not boot: the console shows")
                .contains("The console log is kept at " + work.resolve("console.log"))
                .doesNotContain("Exception");
        assertThat(work.resolve("console.log")).exists();
        BootLeftovers.assertNone(result.stderr(), disk);
    }

    @Test
    void anAbortEndsQemuAndSwtpmAndRemovesTheirState() throws Exception {
        Path disk = EmptyEspDisk.create(work);
        CliProcess cli = CliProcess.start(work, Map.of(), "boot", disk.getFileName().toString(), "--timeout", "600");
        long deadline = System.currentTimeMillis() + 120_000;
        while (!cli.stderrSoFar().contains("Booting ") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(cli.stderrSoFar()).contains("Booting ");
        assertThat(BootLeftovers.processesUsing(disk)).as("QEMU runs").isNotEmpty();
        new ProcessBuilder("kill", "-TERM", Long.toString(cli.process().pid())).start().waitFor();
        CliProcess.Result result = cli.await(2);
        // 130 when the CLI's own exit wins, 143 (SIGTERM) when the JVM's signal exit does.
        assertThat(result.exitCode()).as("stderr:\n%s", result.stderr()).isIn(130, 143);
        assertThat(result.stderr()).contains("podvm: aborted: Aborted while booting the image");
        BootLeftovers.assertNone(result.stderr(), disk);
    }

    private CliProcess.Result run(String... args) throws Exception {
        RealTools.require("qemu-system-x86_64");
        RealTools.require("swtpm");
        String[] full = Stream.concat(Stream.of("boot"), Stream.of(args)).toArray(String[]::new);
        return CliProcess.run(work, Map.of(), full);
    }

    private static void assertRefused(CliProcess.Result result, String message) {
        assertThat(result.exitCode()).as("exit code; stderr:\n%s", result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).contains(message).doesNotContain("Exception").doesNotContain("qemu-system");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static Set<String> bootDirs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("podvm-boot-"))
                    .collect(Collectors.toSet());
        }
    }
}
