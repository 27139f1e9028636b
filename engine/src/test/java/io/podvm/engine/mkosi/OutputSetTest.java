package io.podvm.engine.mkosi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** After a build the output directory holds exactly the new set of outputs, and the user's own files. */
class OutputSetTest {
    @TempDir
    Path out;

    @Test
    void aBuildWithoutQcow2RemovesThePreviousQcow2() throws IOException {
        OutputSet.publish(stage("system.raw", "system.qcow2", "system.manifest"), out);
        Files.writeString(out.resolve("notes.txt"), "the user's");

        List<Path> placed = OutputSet.publish(stage("system.raw", "system.manifest"), out);

        assertThat(placed).containsExactly(out.resolve("system.raw"), out.resolve("system.manifest"));
        assertThat(names()).containsExactlyInAnyOrder("system.raw", "system.manifest", "notes.txt", OutputSet.RECORD);
        assertThat(out.resolve("system.raw")).hasContent("new system.raw");
        assertThat(out.resolve(OutputSet.RECORD)).hasContent("system.raw\nsystem.manifest");
    }

    @Test
    void anImageOfAnotherNameReplacesTheRecordedSet() throws IOException {
        OutputSet.publish(stage("system.raw", "system.qcow2"), out);

        OutputSet.publish(stage("podvm_1.0.raw"), out);

        assertThat(names()).containsExactlyInAnyOrder("podvm_1.0.raw", OutputSet.RECORD);
    }

    /** A directory an older podvm wrote has no record: podvm's names for the same image are its set. */
    @Test
    void withoutARecordTheImagesOwnNamesAreThePreviousSet() throws IOException {
        Files.writeString(out.resolve("system.qcow2"), "old");
        Files.writeString(out.resolve("other.qcow2"), "not this image's");

        OutputSet.publish(stage("system.raw"), out);

        assertThat(names()).containsExactlyInAnyOrder("system.raw", "other.qcow2", OutputSet.RECORD);
    }

    @Test
    void aRecordCannotMakePodvmDeleteAnythingOutsideTheDirectory() throws IOException {
        Path outside = Files.writeString(out.resolveSibling(out.getFileName() + "-outside"), "keep");
        Files.writeString(out.resolve(OutputSet.RECORD), "../" + outside.getFileName() + "\n" + outside + "\n.\n");

        OutputSet.publish(stage("system.raw"), out);

        assertThat(outside).hasContent("keep");
        Files.delete(outside);
    }

    /** New files in a stage inside the output directory, as the build leaves them. */
    private List<Path> stage(String... names) throws IOException {
        Path stage = Files.createTempDirectory(out, ".podvm-stage-");
        List<Path> files = Stream.of(names).map(stage::resolve).toList();
        for (Path file : files) {
            Files.writeString(file, "new " + file.getFileName());
        }
        return files;
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".podvm-stage-")).toList();
        }
    }
}
