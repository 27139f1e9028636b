package io.podvm.engine.binaries;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.json.Json;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.CommandLineWatcher;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestCommands;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pull mode against a real registry with basic auth on 127.0.0.1, holding images this test builds and
 * pushes: one whose later layers delete files (whiteouts), one in the layout of the published podvm-binaries
 * images (two archives at the root).
 */
class PullModeTest {
    private static final String LAYERED = String.join("\n",
            "FROM " + TestImages.BASE,
            "RUN mkdir -p /usr/local/bin /etc/podvm /opt/old \\",
            " && echo agent > /usr/local/bin/kata-agent && chmod 0755 /usr/local/bin/kata-agent \\",
            " && echo gone > /etc/podvm/remove-me && echo keep > /etc/podvm/keep && echo old > /opt/old/file",
            "RUN rm /etc/podvm/remove-me && rm -rf /opt/old && mkdir /opt/old && echo new > /opt/old/fresh \\",
            " && ln -s kata-agent /usr/local/bin/agent",
            "");

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static TestRegistry registry;
    private static String layered;
    private static String published;

    @BeforeAll
    static void registryWithImages() throws Exception {
        Path podman = RealTools.require("podman");
        TestImages.base();
        Path context = Files.createDirectories(shared.resolve("layered"));
        Files.writeString(context.resolve("Dockerfile"), LAYERED);
        TestCommands.run(podman.toString(), "build", "--isolation=chroot", "--tag", "localhost/podvm-test-layered:1",
                context.toString());
        buildPublishedLayout(podman, Files.createDirectories(shared.resolve("published")));
        byte[] random = new byte[8];
        new java.security.SecureRandom().nextBytes(random);
        registry = TestRegistry.start(Files.createDirectories(shared.resolve("registry")),
                "S3cret!$pw-" + HexFormat.of().formatHex(random));
        layered = registry.push("localhost/podvm-test-layered:1", "podvm/layered:1");
        published = registry.push("localhost/podvm-test-published:1", "confidential-containers/podvm-binaries-ubuntu-amd64:v1");
    }

    /** podvm-binaries.tar.gz and pause-bundle.tar.gz at the root, as cloud-api-adaptor publishes them. */
    private static void buildPublishedLayout(Path podman, Path context) throws IOException {
        Path files = Files.createDirectories(context.resolve("files/usr/local/bin"));
        Files.writeString(files.resolve("agent-protocol-forwarder"), "apf");
        Files.createDirectories(context.resolve("files/etc/systemd/system"));
        Files.writeString(context.resolve("files/etc/systemd/system/kata-agent.service"), "[Unit]\n");
        Path pause = Files.createDirectories(context.resolve("pause/pause_bundle/rootfs"));
        Files.writeString(pause.resolve("pause"), "pause");
        TestCommands.run("tar", "-C", context.resolve("files").toString(), "-czf",
                context.resolve("podvm-binaries.tar.gz").toString(), "usr", "etc");
        TestCommands.run("tar", "-C", context.resolve("pause").toString(), "-czf",
                context.resolve("pause-bundle.tar.gz").toString(), "pause_bundle");
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY podvm-binaries.tar.gz /\n"
                + "COPY pause-bundle.tar.gz /\n");
        TestCommands.run(podman.toString(), "build", "--isolation=chroot", "--tag", "localhost/podvm-test-published:1",
                context.toString());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
            // The podman puller keeps what it pulled; the registry's random port makes each run's copy unique.
            TestCommands.run(RealTools.require("podman").toString(), "rmi", "--ignore",
                    registry.address() + "/podvm/layered:1");
        }
    }

    private BinariesRequest.Builder request(String image, String puller) {
        return BinariesRequest.builder().mode("pull").image(image).registryUser(TestRegistry.USER)
                .insecureRegistry(true).puller(puller);
    }

    @Test
    void skopeoAppliesTheLayersWithTheirWhiteoutsAndThePasswordLeavesNoTrace() throws Exception {
        TestLogs.Captured log = new TestLogs.Captured();
        Path secrets = dir.resolve("agent-tmp");
        BinariesResult result;
        try (CommandLineWatcher watcher = new CommandLineWatcher(secrets)) {
            result = new BinariesTreeMaker(log.log(), dir, secrets, ToolFinder.PATH)
                    .make(request(layered, "skopeo").build(), registry.password());
            watcher.close();
            assertThat(watcher.commandLines()).anyMatch(c -> c.contains("skopeo") && c.contains("copy"))
                    .noneMatch(c -> c.contains(registry.password()));
            assertThat(watcher.secretFiles()).isNotEmpty().allMatch(f -> f.endsWith(".json r--------"));
        }
        Path tree = dir.resolve("resources/binaries-tree");
        assertThat(result.tool()).isEqualTo("skopeo");
        assertThat(tree.resolve("usr/local/bin/kata-agent")).hasContent("agent");
        assertThat(tree.resolve("etc/podvm/keep")).hasContent("keep");
        assertThat(tree.resolve("etc/podvm/remove-me")).doesNotExist();
        assertThat(tree.resolve("opt/old/file")).doesNotExist();
        assertThat(tree.resolve("opt/old/fresh")).hasContent("new");
        assertThat(result.symlinks()).contains("usr/local/bin/agent");
        assertThat(tree.resolve("bin/busybox")).exists();
        try (Stream<Path> all = Files.walk(tree)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".wh."));
        }
        assertPasswordLeftNoTrace(log.text(), secrets);
    }

    @Test
    void podmanGivesTheSameTreeAsSkopeo() {
        BinariesResult skopeo = new BinariesTreeMaker(new TestLogs.Captured().log(), dir)
                .make(request(layered, "skopeo").output("skopeo-tree").build(), registry.password());
        BinariesResult podman = new BinariesTreeMaker(new TestLogs.Captured().log(), dir)
                .make(request(layered, "podman").output("podman-tree").build(), registry.password());
        assertThat(podman.tool()).isEqualTo("podman");
        assertThat(podman.digest()).isEqualTo(skopeo.digest());
        assertThat(podman.files()).isEqualTo(skopeo.files());
    }

    @Test
    void thePublishedLayoutIsUnpackedWithAnOverlayOnTop() throws IOException {
        Path overlay = Files.createDirectories(dir.resolve("custom/etc/kata-opa"));
        Files.writeString(overlay.resolve("default-policy.rego"), "package agent_policy\n");
        BinariesResult result = new BinariesTreeMaker(new TestLogs.Captured().log(), dir)
                .make(request(published, null).overlay("custom").build(), registry.password());
        Path tree = dir.resolve("resources/binaries-tree");
        assertThat(tree.resolve("usr/local/bin/agent-protocol-forwarder")).hasContent("apf");
        assertThat(tree.resolve("etc/systemd/system/kata-agent.service")).exists();
        assertThat(tree.resolve("pause_bundle/rootfs/pause")).hasContent("pause");
        assertThat(tree.resolve("etc/kata-opa/default-policy.rego")).exists();
        assertThat(tree.resolve("podvm-binaries.tar.gz")).doesNotExist();
        assertThat(result.files()).isEqualTo(4);
        assertThat(result.tool()).isEqualTo("skopeo");
    }

    @Test
    void wrongCredentialsAreNamedWithoutThePasswordAndKeepThePreviousTree() throws IOException {
        Path previous = Files.createDirectories(dir.resolve("resources/binaries-tree/etc"));
        Files.writeString(previous.resolve("previous"), "previous");
        Files.writeString(dir.resolve("resources/binaries-tree/" + OutputTree.MARKER), "");
        String wrong = registry.password() + "-wrong";
        TestLogs.Captured log = new TestLogs.Captured();
        Path secrets = dir.resolve("agent-tmp");
        for (String puller : List.of("skopeo", "podman")) {
            assertThatThrownBy(() -> new BinariesTreeMaker(log.log(), dir, secrets, ToolFinder.PATH)
                    .make(request(layered, puller).build(), wrong))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("registryUser: the registry " + registry.address() + " refused the credentials of user '"
                            + TestRegistry.USER + "' (unauthorized); check the user name and the password. Nothing was"
                            + " pulled.");
        }
        assertThat(previous.resolve("previous")).hasContent("previous");
        assertPasswordLeftNoTrace(log.text().replace(registry.password(), "CORRECT"), secrets);
        assertThat(log.text()).doesNotContain(wrong);
    }

    @Test
    void anAnonymousPullOfAProtectedImageAsksForCredentials() {
        assertThatThrownBy(() -> new BinariesTreeMaker(new TestLogs.Captured().log(), dir)
                .make(BinariesRequest.builder().mode("pull").image(layered).insecureRegistry(true).build(), null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("registryUser: the registry " + registry.address() + " wants credentials");
    }

    @Test
    void aMissingImageIsNamed() {
        String missing = registry.address() + "/podvm/no-such-image:1";
        assertThatThrownBy(() -> new BinariesTreeMaker(new TestLogs.Captured().log(), dir)
                .make(request(missing, null).build(), registry.password()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("image: '" + missing + "' was not found in the registry");
    }

    @Test
    void aUserWithoutPasswordIsRejectedBeforeAnyPull() {
        assertThatThrownBy(() -> new BinariesTreeMaker(new TestLogs.Captured().log(), dir)
                .make(request(layered, null).build(), null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("registryPassword: user '" + TestRegistry.USER + "' was given without a password");
    }

    @Test
    void theCliPullsWithThePasswordFromTheEnvironment() throws Exception {
        Path overlay = Files.createDirectories(dir.resolve("overlay/etc"));
        Files.writeString(overlay.resolve("extra"), "extra");
        Path secrets = dir.resolve("tmp");
        Files.createDirectories(secrets);
        CliProcess.Result run;
        try (CommandLineWatcher watcher = new CommandLineWatcher()) {
            run = CliProcess.start(dir, List.of("-Djava.io.tmpdir=" + secrets),
                    TestRegistry.cliEnvironment(Map.of("PODVM_REGISTRY_PASSWORD", registry.password())),
                    "binaries", "--mode", "pull", "--image", layered, "--registry-user", TestRegistry.USER,
                    "--insecure-registry", "--overlay", "overlay", "--output", "out/tree", "--json").await(5);
            watcher.close();
            assertThat(watcher.commandLines()).noneMatch(c -> c.contains(registry.password()));
        }
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode json = Json.read(run.lastStdoutLine());
        assertThat(json.path("tree").asText()).isEqualTo(dir.resolve("out/tree").toString());
        try (Stream<Path> all = Files.walk(dir.resolve("out/tree"))) {
            assertThat(json.path("files").asLong()).as("the tree's files; podvm's mark is not one").isEqualTo(
                    all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                            && !p.getFileName().toString().equals(OutputTree.MARKER)).count());
        }
        assertThat(json.path("digest").asText()).startsWith("sha256:");
        assertThat(json.path("symlinks").toString()).contains("usr/local/bin/agent");
        assertThat(json.has("bytes") && json.has("seconds")).isTrue();
        assertThat(dir.resolve("out/tree/etc/extra")).hasContent("extra");
        assertThat(run.stdout() + run.stderr()).doesNotContain(registry.password());
        assertPasswordLeftNoTrace("", dir);
        try (Stream<Path> left = Files.list(secrets)) {
            assertThat(left).as("credential directories left in the CLI's temporary directory").isEmpty();
        }

        CliProcess.Result wrong = CliProcess.start(dir,
                TestRegistry.cliEnvironment(Map.of("PODVM_REGISTRY_PASSWORD", "not-the-password")),
                "binaries", "--mode", "pull", "--image", layered, "--registry-user", TestRegistry.USER,
                "--insecure-registry", "--output", "out/tree").await(5);
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.stderr()).contains("podvm: --registry-user: the registry " + registry.address()
                + " refused the credentials of user '" + TestRegistry.USER + "'").doesNotContain("not-the-password");
        assertThat(dir.resolve("out/tree/etc/extra")).exists();
    }

    @Test
    void noToolSeesTheRegistryPasswordOrAnyOtherSecretInItsEnvironment() throws Exception {
        String passphrase = "ssh-passphrase-" + registry.password();
        String cloudSecret = "cloud-secret-" + registry.password();
        Map<String, String> env = TestRegistry.cliEnvironment(Map.of("PODVM_REGISTRY_PASSWORD", registry.password(),
                "PODVM_SSH_KEY_PASSPHRASE", passphrase, "AWS_SECRET_ACCESS_KEY", cloudSecret));
        List<String> secrets = List.of(registry.password(), passphrase, cloudSecret);
        for (String puller : List.of("skopeo", "podman")) {
            try (CommandLineWatcher watcher = new CommandLineWatcher()) {
                // tar may end within a millisecond, between two samples: pull again until it was seen.
                for (int attempt = 0; attempt < 20 && !watcher.sawEnvironOf("tar --extract"); attempt++) {
                    CliProcess.Result run = CliProcess.start(dir, env, "binaries", "--mode", "pull", "--image",
                            published, "--registry-user", TestRegistry.USER, "--insecure-registry", "--puller", puller,
                            "--output", puller + "-tree").await(5);
                    assertThat(run.exitCode()).as(run.stderr()).isZero();
                }
                watcher.close();
                assertThat(watcher.sawPodvmHolding(registry.password())).isTrue();
                assertThat(watcher.sawEnvironOf(puller)).as("environment of " + puller + " read").isTrue();
                assertThat(watcher.sawEnvironOf("tar --extract")).as("environment of tar read").isTrue();
                assertThat(watcher.environLeaksOf(secrets)).isEmpty();
            }
        }
    }

    /** Not in the log, and in no file left under {@code root}: neither the password nor the auth file's form of it. */
    private static void assertPasswordLeftNoTrace(String logText, Path root) throws IOException {
        String password = registry.password();
        String auth = Base64.getEncoder().encodeToString((TestRegistry.USER + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(logText).doesNotContain(password).doesNotContain(auth);
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path file : all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(content).as(file.toString()).doesNotContain(password).doesNotContain(auth);
                assertThat(file.getFileName().toString()).doesNotEndWith(".json");
            }
        }
    }
}
