package io.podvm.engine.mkosi;

import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.FakeTools;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.SmallFileSystem;
import io.podvm.engine.testing.SshKeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad input of {@code podvm mkosi} gets a sentence naming the field, the value and what is allowed,
 * exit code 2, at once (before mkosi builds anything), and leaves nothing behind.
 */
class MkosiBadInputTest {
    @TempDir
    Path work;

    @Test
    void anUnknownVariant() throws Exception {
        assertRefused(run("--variant", "staging"), "variant: 'staging' is not valid; allowed: production, debug.");
    }

    @Test
    void anUnknownDistribution() throws Exception {
        assertRefused(run("--distribution", "windows"),
                "distribution: 'windows' is not valid; the bundled definition builds debian, fedora.");
    }

    @Test
    void aVerityRootOutsideTheBundledDebianDefinitionOrAnUnknownRoot() throws Exception {
        Path tree = Files.createDirectories(work.resolve("tree"));
        Files.writeString(tree.resolve("mkosi.conf"), "[Distribution]\nDistribution=debian\n");

        assertRefused(run("--dir", "tree", "--root", "verity"), "--root: 'verity' is not valid; only the bundled podvm"
                + " definition has a verity root; allowed with your own tree (dir): ext4");
        assertRefused(run("--root", "verity", "--distribution", "fedora"), "--root: 'verity' is not valid; the bundled"
                + " fedora definition builds an ext4 root only; verity is built with distribution debian.");
        assertRefused(run("--root", "btrfs"), "--root: 'btrfs' is not valid; allowed: ext4, verity.");
    }

    @Test
    void aVerityRootWithoutMkfsErofs() throws Exception {
        Path emptyBin = Files.createDirectories(work.resolve("bin"));

        assertRefused(run(Map.of("PATH", emptyBin.toString()), "--root", "verity"), "--root: 'verity' is not valid;"
                + " the verity root is an erofs made by mkfs.erofs, which is not on PATH; install it (apt-get install"
                + " erofs-utils) or use the ext4 root.");
    }

    @Test
    void aVerityRootWithAnMkosiOlderThan19() throws Exception {
        CliProcess.Result result = run("--root", "verity", "--mkosi", mkosiThatMustNotBuild().toString(),
                "--package-cache", RealTools.packageCache().toString());

        assertRefused(result, "--root: 'verity' is not valid; the verity root is built with mkosi 19 or newer (tried"
                + " with 24.3 and 25.3), and this mkosi is 18.0;");
        assertThat(result.stderr()).doesNotContain("BUILD RAN");
    }

    @Test
    void anSshKeyWithTheProductionVariant() throws Exception {
        Path key = SshKeyFiles.generate(work, "id", "ed25519", "");

        assertRefused(run("--authorized-keys", key + ".pub"), "SSH exists only in debug images");
        assertRefused(run("--ssh-private-key", key.toString()), "SSH exists only in debug images");
    }

    @Test
    void aKeyFileThatIsMissing() throws Exception {
        assertRefused(run("--variant", "debug", "--ssh-private-key", "nope"),
                "--ssh-private-key: 'nope' does not exist or is not a file.");
    }

    @Test
    void aKeyFileThatIsNotAKey() throws Exception {
        Files.writeString(work.resolve("notes.txt"), "not a key\n");

        assertRefused(run("--variant", "debug", "--ssh-private-key", "notes.txt"),
                "--ssh-private-key: is not an SSH private key");
        assertRefused(run("--variant", "debug", "--authorized-keys", "notes.txt"),
                "--authorized-keys: line 1 ('not a key') is not a public key");
    }

    @Test
    void aKeyFileThatCannotBeRead() throws Exception {
        // Tests run as root, who may read any file whatever its mode; reading /proc/self/mem from offset 0
        // fails even for root, as an unreadable key would for a user.
        assertRefused(run("--variant", "debug", "--ssh-private-key", "/proc/self/mem"),
                "--ssh-private-key: cannot read '/proc/self/mem'");
    }

    @Test
    void aDirThatIsNotAnMkosiTree() throws Exception {
        Files.createDirectories(work.resolve("somewhere"));

        assertRefused(run("--dir", "somewhere"), "is not an mkosi tree: it has no mkosi.conf or mkosi.conf.d/.");
        assertRefused(run("--dir", "missing"), "dir: '" + work.resolve("missing") + "' is not a directory");
    }

    @Test
    void aDirThatThisUserCannotReadIsReportedSoNotAsMissingMkosiConf() throws Exception {
        Path tree = Files.createDirectories(work.resolve("tree"));
        Files.writeString(tree.resolve("mkosi.conf"), "[Distribution]\nDistribution=debian\n");
        Files.setPosixFilePermissions(tree, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.setOwner(tree, tree.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        try {
            CliProcess.Result result = CliProcess.runWithoutRootsFileRights(work, Map.of(), "mkosi", "--dir", "tree");

            assertRefused(result, "--dir: '" + tree + "' cannot be read by this user (permission denied)");
            assertThat(result.stderr()).doesNotContain("mkosi.conf or");
        } finally {
            Files.setOwner(tree, tree.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        }
    }

    @Test
    void noMkosiOnPath() throws Exception {
        Path emptyBin = Files.createDirectories(work.resolve("bin"));

        assertRefused(run(Map.of("PATH", emptyBin.toString())),
                "mkosi: 'mkosi' was not found on PATH; install mkosi 15 or newer");
    }

    @Test
    void anMkosiOlderThan15() throws Exception {
        Path old = new FakeTools(work).write("mkosi-14",
                "#!/bin/sh\n[ \"$1\" = --version ] && echo 'mkosi 14' && exit 0\necho unexpected >&2; exit 9\n");

        CliProcess.Result result = run("--mkosi", old.toString());

        assertRefused(result, "mkosi: version 14.0 at " + old + " is too old; podvm needs mkosi 15 or newer");
        assertThat(result.stderr()).contains("bookworm-backports").doesNotContain("unexpected");
    }

    @Test
    void qcow2WithoutQemuImg() throws Exception {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("mkosi"), RealTools.require("mkosi"));

        assertRefused(run(Map.of("PATH", bin.toString()), "--qcow2"),
                "--qcow2: qemu-img was not found on PATH; install it (apt-get install qemu-utils) or drop qcow2.");
    }

    @Test
    void anOutputDirectoryThatCannotBeWritten() throws Exception {
        Files.writeString(work.resolve("a-file"), "");

        assertRefused(run("--output-dir", "a-file"), "--output-dir: '" + work.resolve("a-file") + "' is a file");
        assertRefused(run("--output-dir", "a-file/below"), "--output-dir: '" + work.resolve("a-file/below")
                + "' cannot be written");
    }

    /** Output directories podvm must not write: refused as real paths, before mkosi is even looked for. */
    @Test
    void anOutputDirectoryInARefusedPlace() throws Exception {
        Path tree = Files.createDirectories(work.resolve("tree"));
        Files.writeString(tree.resolve("mkosi.conf"), "[Output]\nFormat=disk\n");
        Path binaries = Files.createDirectories(work.resolve("bins/usr/bin"));
        Files.createSymbolicLink(work.resolve("to-root"), Path.of("/"));
        Files.createSymbolicLink(work.resolve("to-tree"), tree);
        Path home = Path.of(System.getProperty("user.home")).toRealPath();
        String noMkosi = "/nonexistent/mkosi";

        assertRefused(run("--mkosi", noMkosi, "--output-dir", "to-root"), "--output-dir: '" + work.resolve("to-root")
                + "' resolves to '/', which is the root directory; podvm writes its stage and outputs there, so give"
                + " a directory of its own, such as build.");
        assertRefused(run("--mkosi", noMkosi, "--output-dir", "."), "--output-dir: '" + work + "' is the working"
                + " directory (the workspace in Jenkins);");
        assertRefused(run("--mkosi", noMkosi, "--output-dir", ".."), "--output-dir: '" + work.getParent() + "' holds the"
                + " working directory '" + work.toRealPath() + "';");
        assertRefused(run("--mkosi", noMkosi, "--output-dir", home.toString()), "--output-dir: '" + home + "' "
                + (work.toRealPath().startsWith(home) ? "holds the working directory" : "is the home directory"));
        assertRefused(run("--mkosi", noMkosi, "--dir", "tree", "--output-dir", "tree/build"), "--output-dir: '"
                + tree.resolve("build") + "' is inside dir '" + tree + "', which is copied into the stage in the"
                + " output directory, so it would copy itself without end; give an output directory outside dir.");
        assertRefused(run("--mkosi", noMkosi, "--dir", "tree", "--output-dir", "to-tree/out"), "--output-dir: '"
                + work.resolve("to-tree/out") + "' is inside dir '" + tree + "'");
        assertRefused(run("--mkosi", noMkosi, "--binaries-tree", "bins", "--output-dir", "bins/usr/out"),
                "--output-dir: '" + binaries.resolveSibling("out") + "' is inside --binaries-tree '" + work.resolve("bins")
                        + "'");
        assertThat(tree.resolve("build")).doesNotExist();
        assertThat(binaries.resolveSibling("out")).doesNotExist();
    }

    /** Every check, mkosi's detection included, ends before anything is created. */
    @Test
    void nothingIsCreatedWhenTheInputIsBad() throws Exception {
        assertRefused(run("--mkosi", "/nonexistent/mkosi", "--output-dir", "new-out", "--package-cache", "new-cache"),
                "mkosi: '/nonexistent/mkosi' was not found;");
        assertRefused(run("--mkosi", "/bin/false", "--output-dir", "new-out", "--package-cache", "new-cache"),
                "mkosi: '/bin/false --version' failed (exit 1), so it is not a working mkosi;");
        Path notMkosi = new FakeTools(work.resolve("bin")).write("not-mkosi", "#!/bin/sh\necho hello\n");
        assertRefused(run("--mkosi", notMkosi.toString(), "--output-dir", "new-out", "--package-cache", "new-cache"),
                "mkosi: '" + notMkosi + " --version' printed 'hello', which is not an mkosi version;");
        assertThat(work.resolve("new-out")).doesNotExist();
        assertThat(work.resolve("new-cache")).doesNotExist();
    }

    /**
     * The bundled image needs about a GiB; 50 MiB cannot hold it. The mkosi here is a stand-in that answers
     * {@code --version} and fails loudly if podvm lets it build.
     */
    @Test
    void anOutputDirectoryOnAFileSystemTooSmallForTheImage() throws Exception {
        Path small = Files.createDirectories(work.resolve("small"));
        try (SmallFileSystem mounted = SmallFileSystem.mount(small, "50M")) {
            CliProcess.Result result = run("--mkosi", mkosiThatMustNotBuild().toString(), "--output-dir", "small/out",
                    "--package-cache", RealTools.packageCache().toString());

            assertRefused(result, "--output-dir: '" + small.resolve("out") + "' is on a file system (" + small);
            assertThat(result.stderr()).containsPattern("with \\d+ MiB free, and this build needs about 2.8 GiB"
                    + " there \\(the image, 1.0 GiB as estimated from 2 partition definition\\(s\\); mkosi's workspace"
                    + " in the staging directory, 1.5 GiB; plus 10% and 64 MiB to spare\\); free some space there, or choose a place on a larger disk. Nothing was built.")
                    .doesNotContain("BUILD RAN");
            assertThat(small.resolve("out")).doesNotExist();
        }
    }

    /** An mkosi 18 (no JSON summary) that fails loudly if podvm asks it for more than its version. */
    private Path mkosiThatMustNotBuild() throws IOException {
        return new FakeTools(work.resolve("fake")).write("mkosi",
                "#!/bin/sh\n[ \"$1\" = --version ] && echo 'mkosi 18' && exit 0\necho \"BUILD RAN: $*\" >&2; exit 9\n");
    }

    private CliProcess.Result run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    private CliProcess.Result run(Map<String, String> env, String... args) throws Exception {
        String[] full = Stream.concat(Stream.of("mkosi"), Stream.of(args)).toArray(String[]::new);
        return CliProcess.run(work, new HashMap<>(env), full);
    }

    private void assertRefused(CliProcess.Result result, String message) throws IOException {
        assertThat(result.exitCode()).as("exit code; stderr:\n%s", result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(result.stderr()).as("refused before mkosi ran").doesNotContain("--force build");
        try (Stream<Path> left = Files.walk(work)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(".podvm-stage-") || n.equals("system.raw") || n.equals("authorized_keys"));
        }
    }
}
