package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

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
        Files.createDirectories(tree.resolve("mkosi.images/system"));
        Files.writeString(tree.resolve("mkosi.images/system.conf"), "[Output]\n");
        ReproducibleInputs inputs = new ReproducibleInputs(1, "given", "0b5c3a43-61d5-4b7f-9f1e-0a1d2c3e4f50");

        inputs.writeSeed(tree);

        for (String dir : new String[] {"", "mkosi.images/initrd/", "mkosi.images/system/"}) {
            assertThat(tree.resolve(dir + ReproducibleInputs.DROP_IN)).content()
                    .contains("[Output]\nSeed=0b5c3a43-61d5-4b7f-9f1e-0a1d2c3e4f50\n", "Environment=E2FSPROGS_FAKE_TIME=1\n");
        }
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

    private static void git(Path dir, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = dir.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        TestCommands.run(Duration.ofMinutes(1), Map.of(), null, command);
    }
}
