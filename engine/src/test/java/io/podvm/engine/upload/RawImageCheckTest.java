package io.podvm.engine.upload;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What podvm upload accepts as an image: a raw disk with a GPT and an EFI System Partition, nothing else. */
class RawImageCheckTest {
    @TempDir
    Path dir;

    private static void refused(Path image, String... found) {
        assertThatThrownBy(() -> RawImageCheck.check(image, image.getFileName().toString()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("image: ")
                .hasMessageContaining("IMAGE argument").hasMessageContaining("'" + image.getFileName() + "'")
                .hasMessageContaining(found[0]).hasMessageContaining(found.length > 1 ? found[1] : found[0]);
    }

    @Test
    void acceptsAGptImageWithAnEspMadeBySfdisk() throws Exception {
        Path image = GptImages.withEsp(dir.resolve("system.raw"), 8);
        assertThatCode(() -> RawImageCheck.check(image, "system.raw")).doesNotThrowAnyException();
    }

    /** The plugin's tests upload this one (their module cannot be built everywhere; this one can). */
    @Test
    void acceptsTheSmallImageOfThePluginTests() throws Exception {
        Path base64 = Path.of("..", "plugin", "src", "test", "resources", "io", "jenkins", "plugins", "podvm",
                "gpt-esp.raw.base64");
        Path image = Files.write(dir.resolve("tiny.raw"),
                java.util.Base64.getDecoder().decode(Files.readString(base64).strip()));
        assertThatCode(() -> RawImageCheck.check(image, "tiny.raw")).doesNotThrowAnyException();
    }

    @Test
    void refusesATextFile() throws Exception {
        Path image = Files.writeString(dir.resolve("notes.txt"), "hello, this is not a disk image\nsecond line\n");
        refused(image, "holds text ('hello, this is not a disk image')", "a raw disk image");
    }

    @Test
    void refusesAnEmptyFile() throws Exception {
        refused(Files.createFile(dir.resolve("empty.raw")), "is empty (0 bytes)");
    }

    @Test
    void refusesAQcow2AndSaysToPassTheRaw() throws Exception {
        byte[] header = new byte[4096];
        byte[] magic = {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 3};
        System.arraycopy(magic, 0, header, 0, magic.length);
        Path image = Files.write(dir.resolve("system.qcow2"), header);
        refused(image, "is a qcow2 image", "pass the .raw");
    }

    @Test
    void refusesAGptTruncatedInsideItsPartitionEntries() throws Exception {
        Path image = GptImages.withEsp(dir.resolve("cut.raw"), 4);
        GptImages.truncate(image, 2048);
        refused(image, "truncated", "partition entries");
    }

    @Test
    void refusesAnImageCutShorterThanItsGptSays() throws Exception {
        Path image = GptImages.withEsp(dir.resolve("short.raw"), 4);
        GptImages.truncate(image, 3 * 1024 * 1024);
        refused(image, "truncated", "4194304 bytes");
    }

    @Test
    void refusesAGptWithoutEsp() throws Exception {
        Path image = GptImages.withoutEsp(dir.resolve("data.raw"), 4);
        refused(image, "no EFI System Partition", "Linux filesystem data");
    }

    @Test
    void refusesAGptHeaderWithABadChecksum() throws Exception {
        Path image = GptImages.withEsp(dir.resolve("bad-header.raw"), 4);
        GptImages.overwrite(image, 512 + 56, new byte[] {1, 2, 3, 4}); // inside the disk GUID
        refused(image, "GPT header", "checksum");
    }

    @Test
    void refusesPartitionEntriesWithABadChecksum() throws Exception {
        Path image = GptImages.withEsp(dir.resolve("bad-entries.raw"), 4);
        GptImages.overwrite(image, 1024 + 56, "X".getBytes(StandardCharsets.UTF_16LE)); // the ESP's name
        refused(image, "partition entries", "checksum");
    }

    @Test
    void refusesADiskWithoutAPartitionTable() throws Exception {
        Path image = dir.resolve("zeros.raw");
        GptImages.truncate(image, 4 * 1024 * 1024);
        refused(image, "no partition table");
    }

    @Test
    void refusesAnMbrDisk() throws Exception {
        Path image = dir.resolve("mbr.raw");
        GptImages.truncate(image, 4 * 1024 * 1024);
        TestCommands.run(Map.of(), "label: dos\ntype=83\n", RealTools.require("sfdisk").toString(), "--quiet",
                image.toString());
        refused(image, "MBR (DOS) partition table, not a GPT");
    }
}
