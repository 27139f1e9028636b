package io.podvm.engine.upload;

import io.podvm.engine.testing.RealTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/** Credentials with recognisable secrets, where to look for them, and the real uplosi. */
final class UploadFixtures {
    static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzAwsSecretKey";
    static final String AWS_KEY_ID = "AKIAPODVMTESTKEY0001";
    static final String AZURE_SECRET = "azSecret~Q8w7e6r5t4y3u2i1o0pLkJhGfDsA";
    static final String OPENSTACK_PASSWORD = "0penStackPassw0rd-podvm-test";
    /** One PEM key for the whole run: generating RSA keys is slow. */
    static final String GCP_PRIVATE_KEY = rsaPem();
    static final String GCP_KEY_ID = "c0ffee0123456789abcdef0123456789deadbeef";

    private UploadFixtures() {
    }

    static ProviderCredentials aws() {
        return ProviderCredentials.builder().aws(AWS_KEY_ID, AWS_SECRET, null).env("AWS_REGION", "us-east-1").build();
    }

    static ProviderCredentials azure() {
        return ProviderCredentials.builder().azure("11111111-2222-3333-4444-555555555555", AZURE_SECRET,
                "66666666-7777-8888-9999-000000000000", "00000000-aaaa-bbbb-cccc-dddddddddddd").build();
    }

    static ProviderCredentials gcp() {
        return ProviderCredentials.builder().gcpServiceAccountJson(gcpJson()).build();
    }

    static ProviderCredentials openstack() {
        return ProviderCredentials.builder().openstackCloudsYaml(cloudsYaml()).build();
    }

    static String gcpJson() {
        return "{\n  \"type\": \"service_account\",\n  \"project_id\": \"podvm-test-project\",\n"
                + "  \"private_key_id\": \"" + GCP_KEY_ID + "\",\n"
                + "  \"private_key\": \"" + GCP_PRIVATE_KEY.replace("\n", "\\n") + "\",\n"
                + "  \"client_email\": \"uploader@podvm-test-project.iam.gserviceaccount.com\",\n"
                + "  \"client_id\": \"100000000000000000001\",\n"
                + "  \"token_uri\": \"https://oauth2.googleapis.com/token\"\n}\n";
    }

    static String cloudsYaml() {
        return "clouds:\n  podvm-test:\n    auth:\n      auth_url: https://keystone.podvm.invalid:5000/v3\n"
                + "      username: uploader\n      password: \"" + OPENSTACK_PASSWORD + "\"\n"
                + "      project_name: podvm\n      user_domain_name: Default\n      project_domain_name: Default\n"
                + "    region_name: RegionOne\n  other-cloud:\n    auth:\n      auth_url: https://other.invalid/v3\n";
    }

    /** The secrets the tests look for everywhere; the GCP key also line by line, as tools print it. */
    static List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of(AWS_SECRET, AZURE_SECRET, OPENSTACK_PASSWORD, GCP_KEY_ID));
        GCP_PRIVATE_KEY.lines().filter(l -> l.length() >= 40).forEach(secrets::add);
        return secrets;
    }

    /** The real uplosi; a missing one fails the test with the way to install it. */
    static String realUplosi() {
        return RealTools.require("uplosi").toString();
    }

    /** A loopback port where nothing listens: a proxy there refuses every connection at once. */
    static int refusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under {@code dir} whose content holds one of the secrets. */
    static List<Path> filesHoldingSecrets(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.exists(dir)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (Files.size(file) > 64L * 1024 * 1024) {
                    continue;
                }
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (secrets().stream().anyMatch(text::contains)) {
                    found.add(file);
                }
            }
        }
        return found;
    }

    /** Directories the engine made (podvm-uplosi-*, podvm-secrets-*) still present under {@code dir}. */
    static List<Path> engineDirs(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("podvm-")).toList();
        }
    }

    private static String rsaPem() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
