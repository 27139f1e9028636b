package io.podvm.engine.binaries;

import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestCommands;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CNCF distribution registry on 127.0.0.1 with htpasswd basic auth, started for a test class and stopped
 * after it. Images are pushed to it with skopeo from podman's storage.
 */
final class TestRegistry implements AutoCloseable {
    static final String USER = "podvm-ci";

    private final Process process;
    private final String address;
    private final String password;
    private final Path authFile;

    private TestRegistry(Process process, String address, String password, Path authFile) {
        this.process = process;
        this.address = address;
        this.password = password;
        this.authFile = authFile;
    }

    static TestRegistry start(Path dir, String password) throws IOException, InterruptedException {
        return start(dir, password, freePort());
    }

    /** On a given port, for tests of what a port number does in the tools' messages. */
    static TestRegistry start(Path dir, String password, int port) throws IOException, InterruptedException {
        Path registry = RealTools.require("distribution-registry");
        Path htpasswdTool = RealTools.require("htpasswd");
        // -i reads the password from stdin: not even the test puts it on a command line.
        String htpasswd = TestCommands.run(Map.of(), password, htpasswdTool.toString(), "-niB", USER);
        Files.writeString(dir.resolve("htpasswd"), htpasswd);
        String address = "127.0.0.1:" + port;
        Files.writeString(dir.resolve("config.yml"), String.join("\n",
                "version: 0.1",
                "log:",
                "  level: warn",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + dir.resolve("data"),
                "http:",
                "  addr: " + address,
                "auth:",
                "  htpasswd:",
                "    realm: podvm-test",
                "    path: " + dir.resolve("htpasswd"),
                ""));
        Process process = new ProcessBuilder(registry.toString(), "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        Path authFile = dir.resolve("push-auth.json");
        String auth = Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
        Files.writeString(authFile, "{\"auths\":{\"" + address + "\":{\"auth\":\"" + auth + "\"}}}");
        TestRegistry started = new TestRegistry(process, address, password, authFile);
        started.awaitReady(dir.resolve("registry.log"));
        return started;
    }

    /**
     * The environment for the podvm CLI: {@code env}, and PODVM_REGISTRY_PASSWORD only where a test sets it,
     * never the one of the shell that runs the tests.
     */
    static Map<String, String> cliEnvironment(Map<String, String> env) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PODVM_REGISTRY_PASSWORD", null);
        environment.putAll(env);
        return environment;
    }

    String address() {
        return address;
    }

    String password() {
        return password;
    }

    /** Pushes an image from podman's storage to this registry as {@code repository:tag}; returns the reference. */
    String push(String localImage, String repositoryAndTag) {
        Path skopeo = RealTools.require("skopeo");
        String reference = address + "/" + repositoryAndTag;
        TestCommands.run(Map.of("REGISTRY_AUTH_FILE", authFile.toString()), null, skopeo.toString(), "copy",
                "--dest-tls-verify=false", "containers-storage:" + localImage, "docker://" + reference);
        return reference;
    }

    private void awaitReady(Path log) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + address + "/v2/")).build();
        for (int i = 0; i < 100; i++) {
            try {
                if (client.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 401) {
                    return; // Up, and asking for credentials.
                }
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
            }
            Thread.sleep(100);
        }
        close();
        fail("The test registry did not start on " + address + ":\n" + Files.readString(log));
    }

    /** A free port whose number holds "401", the HTTP status of refused credentials. */
    static int freePortHolding401() throws IOException {
        for (int port = 40100; port < 40200; port++) {
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // Try the next one.
            }
        }
        throw new IOException("no free port between 40100 and 40199");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
