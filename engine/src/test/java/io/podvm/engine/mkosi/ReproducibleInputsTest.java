package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The defaults and checks of {@code sourceDateEpoch} and {@code seed}, and how they reach mkosi. */
class ReproducibleInputsTest {
    @TempDir
    Path work;

    @Test
    void theBundledDefinitionGetsItsRecordedTimeAndASeedPerVariant() {
        ReproducibleInputs production = ReproducibleInputs.of(ImageRequest.builder().build(), null);
        ReproducibleInputs debug = ReproducibleInputs.of(ImageRequest.builder().variant("debug").build(), null);

        assertThat(production.sourceDateEpoch()).isEqualTo(ReproducibleInputs.BUNDLED_SOURCE_DATE_EPOCH);
        assertThat(production.seed()).isEqualTo(ReproducibleInputs.seedFor("podvm-debian-bookworm-production").toString())
                .isEqualTo(ReproducibleInputs.of(ImageRequest.builder().build(), null).seed())
                .isNotEqualTo(debug.seed());
        assertThat(production.mkosiOptions()).containsExactly("--source-date-epoch=1767225600");
    }

    @Test
    void aTreeInAGitCheckoutGetsItsLastCommitTime() throws Exception {
        Path tree = Files.createDirectories(work.resolve("tree"));
        Files.writeString(tree.resolve("mkosi.conf"), "[Output]\nFormat=disk\n");
        git(tree, "init", "-q");
        git(tree, "add", "mkosi.conf");
        Map<String, String> dated = Map.of("GIT_COMMITTER_DATE", "@1700000000 +0000", "GIT_AUTHOR_DATE",
                "@1700000000 +0000", "GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@example.org",
                "GIT_COMMITTER_NAME", "t", "GIT_COMMITTER_EMAIL", "t@example.org");
        TestCommands.run(Duration.ofMinutes(1), dated, null, "git", "-C", tree.toString(), "commit", "-q", "-m", "tree");

        ReproducibleInputs inputs = ReproducibleInputs.of(ImageRequest.builder().dir(tree.toString()).build(), tree);

        assertThat(inputs.sourceDateEpoch()).isEqualTo(1700000000L);
        assertThat(inputs.epochOrigin()).isEqualTo("git commit of " + tree);
    }

    @Test
    void aTreeOutsideGitGetsTheBuildTimeAndGivenValuesWin() throws Exception {
        Path tree = Files.createDirectories(work.resolve("plain"));
        long before = Instant.now().getEpochSecond();

        ReproducibleInputs inputs = ReproducibleInputs.of(ImageRequest.builder().dir(tree.toString()).build(), tree);
        ReproducibleInputs given = ReproducibleInputs.of(ImageRequest.builder().dir(tree.toString())
                .sourceDateEpoch(" 42 ").seed("0B5C3A43-61D5-4B7F-9F1E-0A1D2C3E4F50").build(), tree);

        assertThat(inputs.sourceDateEpoch()).isBetween(before, Instant.now().getEpochSecond());
        assertThat(inputs.epochOrigin()).startsWith("build time");
        assertThat(given.sourceDateEpoch()).isEqualTo(42L);
        assertThat(given.seed()).isEqualTo("0b5c3a43-61d5-4b7f-9f1e-0a1d2c3e4f50");
    }

    @Test
    void badValuesNameTheFieldAndWhatIsAllowed() {
        assertThatThrownBy(() -> ImageRequest.builder().sourceDateEpoch("yesterday")).isInstanceOf(
                InvalidRequestException.class).hasMessageStartingWith("sourceDateEpoch: 'yesterday' is not valid; give"
                + " whole seconds since 1970-01-01 UTC");
        assertThatThrownBy(() -> ImageRequest.builder().sourceDateEpoch("-5")).hasMessageStartingWith(
                "sourceDateEpoch: '-5' is not valid");
        assertThatThrownBy(() -> ImageRequest.builder().seed("random")).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("seed: 'random' is not valid; give a UUID such as ");
    }

    @Test
    void theSeedGoesIntoEveryImageOfTheStagedTree() throws Exception {
        Path tree = Files.createDirectories(work.resolve("staged"));
        Files.createDirectories(tree.resolve("mkosi.images/initrd"));
        Files.createDirectories(tree.resolve("mkosi.images/system/mkosi.repart"));
        Files.writeString(tree.resolve("mkosi.images/system.conf"), "[Output]\n");
        ReproducibleInputs inputs = new ReproducibleInputs(1, "given", "0b5c3a43-61d5-4b7f-9f1e-0a1d2c3e4f50");

        inputs.writeDropIns(tree, MkosiVersion.parse("mkosi 24.3"));

        for (String dir : new String[] {"", "mkosi.images/initrd/", "mkosi.images/system/"}) {
            assertThat(tree.resolve(dir + ReproducibleInputs.DROP_IN)).content()
                    .contains("[Output]\nSeed=0b5c3a43-61d5-4b7f-9f1e-0a1d2c3e4f50\n", "[Content]\nEnvironment=E2FSPROGS_FAKE_TIME=1\n");
        }
        Path mke2fs = tree.resolve("mkosi.images/system/mkosi.repart/" + ReproducibleInputs.MKE2FS_CONFIG);
        assertThat(tree.resolve("mkosi.images/system/" + ReproducibleInputs.DROP_IN)).content()
                .contains("Environment=MKE2FS_CONFIG=" + mke2fs.toAbsolutePath() + "\n");
        assertThat(tree.resolve("mkosi.images/initrd/" + ReproducibleInputs.DROP_IN)).content()
                .doesNotContain("MKE2FS_CONFIG");
        assertThat(mke2fs).content().contains("options = hash_seed=0b5c3a43-61d5-4b7f-9f1e-0a1d2c3e4f50\n");
    }

    /** The mke2fs.conf podvm writes makes mkfs.ext4 (as systemd-repart 254 runs it) give the same bytes twice. */
    @Test
    void theMke2fsConfigMakesTwoExt4FileSystemsIdentical() throws Exception {
        Path tree = Files.createDirectories(work.resolve("fixed/mkosi.images/system/mkosi.repart"));
        new ReproducibleInputs(1700000000L, "given", "0b5c3a43-61d5-4b7f-9f1e-0a1d2c3e4f50").writeDropIns(work.resolve("fixed"),
                MkosiVersion.parse("mkosi 25.3"));
        Path content = Files.createDirectories(work.resolve("content/etc"));
        Files.writeString(content.resolve("a"), "a\n");
        Map<String, String> env = Map.of("MKE2FS_CONFIG", tree.resolve(ReproducibleInputs.MKE2FS_CONFIG).toString(),
                "E2FSPROGS_FAKE_TIME", "1700000000");
        // mkfs.ext4 -d copies each file's times, and reading a file moves an atime that is not newer than its mtime or
        // ctime (relatime), so the first run would change what the second copies. An atime ahead of both stays.
        // (In a real build Ext4ChangeTimes sets them afterwards.)
        aheadAccessTimes(content.getParent());
        for (String image : new String[] {"1.img", "2.img"}) {
            // systemd-repart 254's arguments for ext4 (src/shared/mkfs-util.c).
            TestCommands.run(Duration.ofMinutes(1), env, null, "mkfs.ext4", "-q", "-L", "root", "-U",
                    "11111111-2222-3333-4444-555555555555", "-I", "256", "-O", "has_journal", "-m", "0", "-E",
                    "nodiscard,lazy_itable_init=1", "-b", "4096", "-T", "default", "-d", content.getParent().toString(),
                    work.resolve(image).toString(), "16M");
        }
        assertThat(Files.mismatch(work.resolve("1.img"), work.resolve("2.img"))).isEqualTo(-1L);
        assertThat(work.resolve("fixed/mkosi.images/system/" + ReproducibleInputs.DROP_IN)).content()
                .as("mkosi 25 reads Environment= in [Build]").contains("[Build]\nEnvironment=");
        assertThat(TestCommands.run("dumpe2fs", "-h", work.resolve("1.img").toString()))
                .contains("Directory Hash Seed:      0b5c3a43-61d5-4b7f-9f1e-0a1d2c3e4f50");
    }

    @Test
    void theCliRefusesABadSeedBeforeAnythingIsCreated() throws Exception {
        CliProcess.Result result = CliProcess.run(work, Map.of(), "mkosi", "--seed", "not-a-uuid", "--output-dir",
                "out", "--package-cache", RealTools.packageCache().toString());

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).contains("seed: 'not-a-uuid' is not valid; give a UUID such as")
                .doesNotContain("Exception");
        assertThat(work.resolve("out")).doesNotExist();
    }

    private static void aheadAccessTimes(Path root) throws IOException {
        FileTime modified = FileTime.fromMillis(1700000000_000L);
        FileTime accessed = FileTime.from(Instant.now().plus(Duration.ofHours(1)));
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                Files.getFileAttributeView(path, BasicFileAttributeView.class).setTimes(modified, accessed, null);
            }
        }
    }

    private static void git(Path dir, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = dir.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        TestCommands.run(Duration.ofMinutes(1), Map.of(), null, command);
    }
}
