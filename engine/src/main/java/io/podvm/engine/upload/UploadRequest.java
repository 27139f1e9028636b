package io.podvm.engine.upload;

import io.podvm.engine.Blank;
import io.podvm.engine.InvalidRequestException;

import java.io.Serializable;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code podvm upload} and the {@code podvmUpload} step ask for: validated on construction,
 * immutable and serializable so that it can cross a Jenkins agent channel. Paths are strings (Path is
 * not serializable), resolved on the machine that uploads. Credentials are contents, never host paths.
 */
public final class UploadRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What uplosi accepts as a version (its validation.rego); see {@link ImageVersion} for the rest. */
    public static final Pattern VERSION = ImageVersion.FORMAT;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(2);
    private static final Pattern SET = Pattern.compile("([A-Za-z][A-Za-z0-9]*(?:\\.[A-Za-z][A-Za-z0-9]*)*)=(.*)",
            Pattern.DOTALL);
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final String image;
    private final Provider provider;
    private final String name;
    private final String imageVersion;
    private final String imageVersionFile;
    private final boolean incrementVersion;
    private final String configDir;
    private final Map<String, String> settings;
    private final List<String> enableVariants;
    private final List<String> disableVariants;
    private final String uplosi;
    private final ProviderCredentials credentials;
    private final Map<String, String> environment;
    private final String tempDir;
    private final Duration timeout;
    private final String skipIfUnchanged;

    private UploadRequest(Builder b, Provider provider) {
        this.image = b.image;
        this.provider = provider;
        this.name = b.name;
        this.imageVersion = b.imageVersion;
        this.imageVersionFile = b.imageVersionFile;
        this.incrementVersion = b.incrementVersion;
        this.configDir = b.configDir;
        this.settings = new LinkedHashMap<>(b.settings);
        this.enableVariants = List.copyOf(b.enableVariants);
        this.disableVariants = List.copyOf(b.disableVariants);
        this.uplosi = b.uplosi;
        this.credentials = b.credentials;
        this.environment = Map.copyOf(b.environment);
        this.tempDir = b.tempDir;
        this.timeout = b.timeout;
        this.skipIfUnchanged = b.skipIfUnchanged;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path image() {
        return Path.of(image);
    }

    public Provider provider() {
        return provider;
    }

    /** uplosi's {@code name}, or null to take it from the user's configuration. */
    public String name() {
        return name;
    }

    /** X.Y.Z, or null. */
    public String imageVersion() {
        return imageVersion;
    }

    public Path imageVersionFile() {
        return imageVersionFile == null ? null : Path.of(imageVersionFile);
    }

    public boolean incrementVersion() {
        return incrementVersion;
    }

    /** A directory with the user's uplosi.conf and/or uplosi.conf.d/, or null. */
    public Path configDir() {
        return configDir == null ? null : Path.of(configDir);
    }

    /** The {@code --set} settings below uplosi's {@code [base]}, with their TOML values. */
    public Map<String, Object> settings() {
        Map<String, Object> parsed = new LinkedHashMap<>();
        settings.forEach((key, raw) -> parsed.put(key, UplosiSettings.parse(provider, key, raw)));
        return parsed;
    }

    public List<String> enableVariants() {
        return enableVariants;
    }

    public List<String> disableVariants() {
        return disableVariants;
    }

    /** The uplosi to run: a name looked up on PATH, or a path. */
    public String uplosi() {
        return uplosi;
    }

    /** The credentials given, or {@link ProviderCredentials#isEmpty() none} to use the uploading machine's. */
    public ProviderCredentials credentials() {
        return credentials;
    }

    /** Extra non-secret variables for uplosi (proxies, AWS_ENDPOINT_URL). */
    public Map<String, String> environment() {
        return environment;
    }

    /** Where the private working and credential directories are made, or null for the system's temp dir. */
    public Path tempDir() {
        return tempDir == null ? null : Path.of(tempDir);
    }

    public Duration timeout() {
        return timeout;
    }

    /** The state file that records uploads, or null to upload whatever it holds. */
    public Path skipIfUnchanged() {
        return skipIfUnchanged == null ? null : Path.of(skipIfUnchanged);
    }

    /** Collects the options; {@link #build()} checks them together, so that each error names its field. */
    public static final class Builder {
        private String image;
        private String provider;
        private String name;
        private String imageVersion;
        private String imageVersionFile;
        private boolean incrementVersion;
        private String configDir;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<String> enableVariants = new ArrayList<>();
        private final List<String> disableVariants = new ArrayList<>();
        private String uplosi = "uplosi";
        private ProviderCredentials credentials = ProviderCredentials.none();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String tempDir;
        private Duration timeout = DEFAULT_TIMEOUT;
        private String skipIfUnchanged;

        private Builder() {
        }

        public Builder image(String value) {
            this.image = Blank.refuse("image", value, "name the raw disk image to upload");
            return this;
        }

        public Builder provider(String value) {
            this.provider = value;
            return this;
        }

        public Builder name(String value) {
            this.name = Blank.refuse("name", value, "give the image name, or leave it out for the configuration's");
            return this;
        }

        public Builder imageVersion(String value) {
            this.imageVersion = Blank.refuse("imageVersion", value, "give X.Y.Z, or leave it out");
            return this;
        }

        public Builder imageVersionFile(String value) {
            this.imageVersionFile = Blank.refuse("imageVersionFile", value, "give a file holding X.Y.Z, or leave it out");
            return this;
        }

        public Builder incrementVersion(boolean value) {
            this.incrementVersion = value;
            return this;
        }

        public Builder configDir(String value) {
            this.configDir = Blank.refuse("configDir", value, "give the directory of your uplosi.conf, or leave it out");
            return this;
        }

        /** One {@code KEY=VALUE} below uplosi's {@code [base]}, e.g. {@code aws.region=eu-central-1}. */
        public Builder set(String keyEqualsValue) {
            java.util.regex.Matcher m = SET.matcher(keyEqualsValue == null ? "" : keyEqualsValue.trim());
            if (!m.matches()) {
                throw InvalidRequestException.of("--set", keyEqualsValue, "the form is KEY=VALUE with a key below"
                        + " uplosi's [base] table, e.g. aws.region=eu-central-1");
            }
            return set(m.group(1), m.group(2).trim());
        }

        public Builder set(String key, String value) {
            settings.put(key, value == null ? "" : value);
            return this;
        }

        public Builder settings(Map<String, String> values) {
            if (values != null) {
                values.forEach(this::set);
            }
            return this;
        }

        public Builder enableVariant(String glob) {
            add(enableVariants, Blank.refuse("enableVariants", glob, "give a glob such as 'debug-*'"));
            return this;
        }

        public Builder disableVariant(String glob) {
            add(disableVariants, Blank.refuse("disableVariants", glob, "give a glob such as 'debug-*'"));
            return this;
        }

        public Builder uplosi(String value) {
            this.uplosi = value == null ? "uplosi" : Blank.refuse("uplosi", value, "give a program name or path, or leave it out (uplosi on PATH)");
            return this;
        }

        public Builder credentials(ProviderCredentials value) {
            this.credentials = value == null ? ProviderCredentials.none() : value;
            return this;
        }

        public Builder environment(String name, String value) {
            if (name == null || !ENV_NAME.matcher(name).matches()) {
                throw InvalidRequestException.of("environment", name, "a variable name has letters, digits and '_'");
            }
            environment.put(name, value == null ? "" : value);
            return this;
        }

        public Builder tempDir(String value) {
            this.tempDir = Blank.refuse("tempDir", value, "give a directory, or leave it out");
            return this;
        }

        public Builder timeout(Duration value) {
            this.timeout = value == null ? DEFAULT_TIMEOUT : value;
            return this;
        }

        /** A state file: an image whose content key is recorded there for the provider is not uploaded again. */
        public Builder skipIfUnchanged(String stateFile) {
            this.skipIfUnchanged = Blank.refuse("skipIfUnchanged", stateFile, "give the state file of earlier uploads, or leave it out");
            return this;
        }

        public UploadRequest build() {
            if (image == null) {
                throw new InvalidRequestException("image: no image given; name the raw disk image to upload.");
            }
            Provider parsed = Provider.parse(provider, "provider");
            if (name != null && !NAME.matcher(name).matches()) {
                throw InvalidRequestException.of("name", name, "a name has letters, digits, '.', '_' and '-' and"
                        + " starts with a letter or digit");
            }
            checkVersion();
            settings.forEach((key, raw) -> UplosiSettings.parse(parsed, key, raw));
            enableVariants.forEach(g -> checkGlob("enableVariants", g));
            disableVariants.forEach(g -> checkGlob("disableVariants", g));
            if (timeout.isNegative() || timeout.isZero()) {
                // In the words users write durations in (0s, 90s), not Java's PT0S.
                throw InvalidRequestException.of("timeout", timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s"
                        : timeout.toMillis() + "ms", "the timeout must be positive, such as 90s, 30m or 2h");
            }
            if (!credentials.isEmpty()) {
                credentials.check(parsed); // none given: the uploading machine's are checked when it uploads
            }
            return new UploadRequest(this, parsed);
        }

        private void checkVersion() {
            if (imageVersion != null && imageVersionFile != null) {
                throw new InvalidRequestException("imageVersion: both --image-version '" + imageVersion + "' and"
                        + " --image-version-file '" + imageVersionFile + "' were given; give one of them.");
            }
            if (imageVersion != null) {
                ImageVersion.checkFormat("imageVersion", imageVersion);
            }
            if (incrementVersion && imageVersion != null) {
                throw new InvalidRequestException("incrementVersion: --increment-version bumps a version file, but"
                        + " the version was given as --image-version " + imageVersion + "; use --image-version-file"
                        + " FILE instead.");
            }
        }

        private static void checkGlob(String field, String glob) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.of(field, glob, "a glob such as 'debug-*' ("
                        + e.getMessage().split("\n")[0] + ")");
            }
        }

        private static void add(List<String> list, String value) {
            if (value != null && !value.isBlank()) {
                list.add(value.trim());
            }
        }
    }
}
