package io.podvm.engine.mkosi;

import io.podvm.engine.files.FileTrees;
import io.podvm.engine.testing.SshKeyFiles;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TreeStagerTest {
    @TempDir
    Path work;

    private final TestLogs.Captured log = new TestLogs.Captured();
    private final TreeStager stager = new TreeStager(log.log());

    @Test
    void theBundledDefinitionIsStagedInTheSeedsLayout() throws IOException {
        Path tree = work.resolve("tree");

        stager.stage(ImageRequest.builder().build(), null, tree);

        assertThat(tree.resolve("mkosi.conf")).exists();
        assertThat(tree.resolve("mkosi.presets/system/mkosi.conf")).content().contains("[Preset]");
        assertThat(tree.resolve("mkosi.presets/system/mkosi.conf.d/debian-debug-keys.conf")).exists();
        assertThat(tree.resolve("mkosi.skeleton-debug/etc/ssh/sshd_config.d")).isDirectory();
        assertThat(tree.resolve(TreeStager.BINARIES_TREE)).isEmptyDirectory();
        assertThat(log.toString()).contains("the image will hold no podvm binaries");
    }

    @Test
    void theVerityRootSwapsThePartitionsAndSetsItsMarker() throws IOException {
        Path ext4 = work.resolve("ext4");
        Path verity = work.resolve("verity");

        stager.stage(ImageRequest.builder().build(), null, ext4);
        stager.stage(ImageRequest.builder().root("verity").build(), null, verity);

        Path repart = Path.of(TreeStager.SYSTEM_IMAGE, TreeStager.REPART);
        assertThat(ext4.resolve(repart).resolve("10-root.conf")).content().contains("Format=ext4");
        assertThat(ext4.resolve(TreeStager.SYSTEM_IMAGE).resolve(TreeStager.REPART_VERITY)).doesNotExist();
        assertThat(ext4.resolve(TreeStager.VERITY_MARKER)).doesNotExist();
        assertThat(names(verity.resolve(repart))).containsExactly("00-esp.conf", "10-root.conf", "20-root-verity.conf");
        assertThat(verity.resolve(repart).resolve("10-root.conf")).content().contains("Format=erofs", "Verity=data");
        assertThat(verity.resolve(repart).resolve("20-root-verity.conf")).content().contains("Verity=hash");
        assertThat(verity.resolve(TreeStager.SYSTEM_IMAGE).resolve(TreeStager.REPART_VERITY)).doesNotExist();
        assertThat(verity.resolve(TreeStager.VERITY_MARKER)).exists();
        assertThat(verity.resolve(TreeStager.SYSTEM_IMAGE).resolve("mkosi.conf.d/debian-verity.conf")).content()
                .contains("PathExists=../../" + TreeStager.VERITY_MARKER, "systemd.volatile=state");
    }

    @Test
    void aUsersTreeIsCopiedWithoutItsOutputsAndIsNeverModified() throws IOException {
        Path user = userTree();
        Map<String, String> before = snapshot(user);
        Path key = SshKeyFiles.generate(work, "ed", "ed25519", "");
        ImageRequest request = ImageRequest.builder().dir(user.toString()).variant("debug")
                .sshPrivateKey(Files.readString(key), null, "--ssh-private-key").extraPackages(List.of("jq")).build();
        Path tree = work.resolve("stage");

        stager.stage(request, user.resolve(TreeStager.BINARIES_TREE), tree);

        assertThat(snapshot(user)).isEqualTo(before);
        assertThat(tree.resolve("build")).doesNotExist();
        assertThat(tree.resolve("mkosi.presets/system/mkosi.conf")).exists();
        assertThat(tree.resolve(TreeStager.BINARIES_TREE + "/usr/bin/agent")).content().isEqualTo("agent");
    }

    @Test
    void theDebugVariantGetsTheMarkerAndRootsKeysWithMode0400() throws IOException {
        Path key = SshKeyFiles.generate(work, "ed", "ed25519", "");
        ImageRequest request = ImageRequest.builder().variant("debug")
                .sshPrivateKey(Files.readString(key), null, "--ssh-private-key").build();
        Path tree = work.resolve("tree");

        stager.stage(request, null, tree);

        assertThat(tree.resolve(TreeStager.DEBUG_MARKER)).exists();
        Path keys = tree.resolve(TreeStager.AUTHORIZED_KEYS);
        assertThat(keys).content().contains(SshKeyFiles.publicKeyBody(key));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("r--------");
    }

    @Test
    void theProductionVariantClearsTheMarkerAndAnyKeysOfTheTree() throws IOException {
        Path user = userTree();
        Files.writeString(user.resolve(TreeStager.DEBUG_MARKER), "");
        Files.writeString(user.resolve(TreeStager.AUTHORIZED_KEYS), "ssh-ed25519 AAAA old\n");
        Path tree = work.resolve("stage");

        stager.stage(ImageRequest.builder().dir(user.toString()).build(), null, tree);

        assertThat(tree.resolve(TreeStager.DEBUG_MARKER)).doesNotExist();
        assertThat(tree.resolve(TreeStager.AUTHORIZED_KEYS)).doesNotExist();
        assertThat(user.resolve(TreeStager.AUTHORIZED_KEYS)).exists();
    }

    @Test
    void extraPackagesGoToTheSystemImagesDropInNamedAfterTheDistribution() throws IOException {
        Path tree = work.resolve("tree");

        stager.stage(ImageRequest.builder().extraPackages(List.of("jq", "curl")).build(), null, tree);

        assertThat(tree.resolve("mkosi.presets/system/mkosi.conf.d/debian-extra.conf")).content()
                .isEqualTo("# Written by podvm: the extra packages asked for.\n[Content]\nPackages=\n    jq\n    curl\n");
    }

    @Test
    void symbolicLinksInTheBinariesTreeAreListedAndWarnedAbout() throws IOException {
        Path user = userTree();
        Files.createSymbolicLink(user.resolve(TreeStager.BINARIES_TREE + "/usr/bin/alias"), Path.of("agent"));

        List<String> links = stager.stage(ImageRequest.builder().build(), user.resolve(TreeStager.BINARIES_TREE),
                work.resolve("tree"));

        assertThat(links).containsExactly("usr/bin/alias");
        assertThat(log.toString()).contains("1 symbolic link(s)").contains("usr/bin/alias");
    }

    private Path userTree() throws IOException {
        Path user = work.resolve("user");
        FileTrees.copy(Path.of(System.getProperty("user.dir")).resolve("..").normalize(), user,
                relative -> !relative.getName(0).toString().startsWith("mkosi"));
        Files.createDirectories(user.resolve("build"));
        Files.writeString(user.resolve("build/system.raw"), "old image");
        Files.createDirectories(user.resolve(TreeStager.BINARIES_TREE + "/usr/bin"));
        Files.writeString(user.resolve(TreeStager.BINARIES_TREE + "/usr/bin/agent"), "agent");
        return user;
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String content = Files.isRegularFile(p) ? Files.readString(p) : "";
                files.put(root.relativize(p) + " " + Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                        content);
            }
        }
        return files;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
