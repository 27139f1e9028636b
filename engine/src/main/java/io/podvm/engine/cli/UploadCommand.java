package io.podvm.engine.cli;

import io.podvm.engine.Blank;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.upload.ProviderCredentials;
import io.podvm.engine.upload.UploadRequest;
import io.podvm.engine.upload.UploadResult;
import io.podvm.engine.upload.Uploader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code podvm upload}: uploads an image with uplosi; the {@code podvmUpload} step takes the same options. */
@Command(name = "upload", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Uploads a podvm image to a cloud with uplosi and prints the image references.",
                "Credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN] (or AWS_PROFILE);"
                        + " AZURE_CLIENT_ID/AZURE_CLIENT_SECRET/AZURE_TENANT_ID[/AZURE_SUBSCRIPTION_ID];"
                        + " --gcp-credentials or GOOGLE_APPLICATION_CREDENTIALS; --openstack-clouds or"
                        + " OS_CLIENT_CONFIG_FILE with --set openstack.cloud=NAME."})
final class UploadCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IMAGE", description = "The raw disk image, e.g. build/system.raw.")
    String image;

    @Option(names = "--provider", required = true, paramLabel = "aws|azure|gcp|openstack", description = "The cloud.")
    String provider;

    @Option(names = "--name", paramLabel = "NAME", description = "The image name (uplosi's base.name).")
    String name;

    @Option(names = "--image-version", paramLabel = "X.Y.Z", description = "The version to upload.")
    String imageVersion;

    @Option(names = "--image-version-file", paramLabel = "FILE", description = "A file holding X.Y.Z.")
    String imageVersionFile;

    @Option(names = "--increment-version", description = "After a successful upload, bump the patch number in"
            + " the version file(s).")
    boolean incrementVersion;

    @Option(names = "--config-dir", paramLabel = "DIR", description = "Your uplosi.conf (and uplosi.conf.d/),"
            + " read as uplosi reads it; the options here replace its values in every variant. Relative"
            + " imageVersionFile paths there are relative to DIR.")
    String configDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "An uplosi provider setting for every variant"
            + " uploaded (repeatable), e.g. aws.region=eu-central-1, openstack.tags=[\"nightly\"].")
    List<String> settings = new ArrayList<>();

    @Option(names = "--enable-variant", paramLabel = "GLOB", description = "Upload only the variants matching (repeatable).")
    List<String> enableVariants = new ArrayList<>();

    @Option(names = "--disable-variant", paramLabel = "GLOB", description = "Skip the variants matching (repeatable).")
    List<String> disableVariants = new ArrayList<>();

    @Option(names = "--gcp-credentials", paramLabel = "FILE", description = "A GCP service-account key (JSON);"
            + " default: $GOOGLE_APPLICATION_CREDENTIALS.")
    Path gcpCredentials;

    @Option(names = "--openstack-clouds", paramLabel = "FILE", description = "An OpenStack clouds.yaml; default:"
            + " $OS_CLIENT_CONFIG_FILE.")
    Path openstackClouds;

    @Option(names = "--uplosi", paramLabel = "PATH", defaultValue = "uplosi", description = "The uplosi to run"
            + " (default: uplosi on PATH).")
    String uplosi;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2h", description = "Stop uplosi after"
            + " this long, e.g. 90s, 30m, 2h (default: 2h).")
    String timeout;

    @Option(names = "--skip-if-unchanged", paramLabel = "STATE_FILE", description = "Record each upload in"
            + " STATE_FILE; when the image's content key is the one recorded for the provider, print the recorded"
            + " references without uploading (uplosi is not run).")
    String skipIfUnchanged;

    @Option(names = "--json", description = "Print the result as one JSON line, last on stdout.")
    boolean json;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        // picocli turns '' into the path of the working directory; an empty option is a mistake to name.
        Blank.refuse("--gcp-credentials", gcpCredentials == null ? null : gcpCredentials.toString(), "give a file");
        Blank.refuse("--openstack-clouds", openstackClouds == null ? null : openstackClouds.toString(), "give a file");
        ProviderCredentials credentials = ProviderCredentials.fromEnvironment(env)
                .gcpServiceAccountJson(readCredentialFile(gcpCredentials, env.get("GOOGLE_APPLICATION_CREDENTIALS"),
                        "--gcp-credentials", "gcp".equalsIgnoreCase(provider)))
                .openstackCloudsYaml(readCredentialFile(openstackClouds, env.get("OS_CLIENT_CONFIG_FILE"),
                        "--openstack-clouds", "openstack".equalsIgnoreCase(provider)))
                .build();
        credentials.secrets().forEach(CliConsole.masker()::add); // the key files' contents, before any message
        UploadRequest.Builder request = UploadRequest.builder().image(image).provider(provider).name(name)
                .imageVersion(imageVersion).imageVersionFile(imageVersionFile).incrementVersion(incrementVersion)
                .configDir(configDir).uplosi(uplosi).credentials(credentials).timeout(duration(timeout))
                .skipIfUnchanged(skipIfUnchanged);
        settings.forEach(request::set);
        enableVariants.forEach(request::enableVariant);
        disableVariants.forEach(request::disableVariant);
        passThrough(env, request);
        UploadRequest built = request.build();
        BuildLog log = new BuildLog(System.err, CliConsole.masker());
        UploadResult result = new Uploader(log, Path.of("").toAbsolutePath()).upload(built);
        if (json) {
            CliOutput.print(true, result.toMap());
        } else {
            // Like uplosi itself: one image reference per line, for scripts that read stdout.
            result.refs().forEach(System.out::println);
        }
        return 0;
    }

    /** Endpoint and proxy settings a shell user expects uplosi to honour. */
    private static void passThrough(Map<String, String> env, UploadRequest.Builder request) {
        for (String name : List.of("AWS_ENDPOINT_URL", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy",
                "http_proxy", "no_proxy")) {
            if (env.get(name) != null) {
                request.environment(name, env.get(name));
            }
        }
    }

    /** The file named by the option, else by the variable; read only for the provider that needs it. */
    private static String readCredentialFile(Path option, String variable, String field, boolean needed) {
        Path file = option != null ? option : variable == null || variable.isBlank() ? null : Path.of(variable);
        if (file == null || !needed) {
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw InvalidRequestException.of(field, file, "the credentials file cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    static Duration duration(String text) {
        Duration duration = parseDuration(text);
        if (duration.isZero() || duration.isNegative()) {
            throw InvalidRequestException.of("--timeout", text, "the timeout must be positive, such as 90s, 30m or 2h");
        }
        return duration;
    }

    private static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        try {
            if (t.matches("\\d+[smh]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw InvalidRequestException.of("--timeout", text, "allowed: a duration such as 90s, 30m or 2h");
        }
    }
}
