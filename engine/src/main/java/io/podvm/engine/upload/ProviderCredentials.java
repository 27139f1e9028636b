package io.podvm.engine.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.json.Json;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The credentials of one upload, as contents rather than host paths, so that the Jenkins plugin can pass
 * secrets from its credentials store: environment variables the cloud SDKs read, plus the files some of
 * them want (a GCP service-account key, an OpenStack clouds.yaml). The engine writes those files into a
 * private directory and points the SDKs at them; nothing here ever goes on a command line.
 * {@link #toString()} shows variable names only.
 */
public final class ProviderCredentials implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The variables each SDK reads, picked from a shell's environment by {@link #fromEnvironment(Map)}. */
    public static final Set<String> KNOWN_VARIABLES = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ROLE_ARN",
            "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
            "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID", "AZURE_SUBSCRIPTION_ID",
            "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_FEDERATED_TOKEN_FILE",
            "AZURE_AUTHORITY_HOST", "OS_CLOUD", "OS_PASSWORD");
    private static final Pattern NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    /** Values of these variables are secrets; paths (…_FILE, …_PATH) and plain settings are not. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(SECRET|TOKEN|PASSWORD|KEY|CREDENTIAL).*");
    private static final Pattern CLOUDS_SECRET = Pattern.compile(
            "^\\s*(password|secret|token|application_credential_secret)\\s*:\\s*(.+?)\\s*$", Pattern.MULTILINE);

    private final Map<String, String> environment;
    private final String gcpServiceAccountJson;
    private final String openstackCloudsYaml;

    private ProviderCredentials(Builder b) {
        this.environment = Map.copyOf(b.environment);
        this.gcpServiceAccountJson = b.gcpServiceAccountJson;
        this.openstackCloudsYaml = b.openstackCloudsYaml;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ProviderCredentials none() {
        return builder().build();
    }

    /** The cloud SDK variables present in a shell's environment (the CLI's way; Jenkins passes its own). */
    public static Builder fromEnvironment(Map<String, String> env) {
        Builder b = builder();
        env.forEach((name, value) -> {
            if (KNOWN_VARIABLES.contains(name) && value != null && !value.isEmpty()) {
                b.env(name, value);
            }
        });
        return b;
    }

    /**
     * The credentials of the machine that uploads, for a caller that gives none (the CLI without options, a
     * Jenkins step without credentialsId): the SDK variables of {@code env}, and the files that
     * GOOGLE_APPLICATION_CREDENTIALS and OS_CLIENT_CONFIG_FILE name, read for the provider that needs them.
     */
    public static ProviderCredentials fromMachine(Map<String, String> env, Provider provider) {
        Builder b = fromEnvironment(env);
        if (provider == Provider.GCP) {
            b.gcpServiceAccountJson(readNamedFile(env, "GOOGLE_APPLICATION_CREDENTIALS"));
        }
        if (provider == Provider.OPENSTACK) {
            b.openstackCloudsYaml(readNamedFile(env, "OS_CLIENT_CONFIG_FILE"));
        }
        return b.build();
    }

    private static String readNamedFile(Map<String, String> env, String variable) {
        String name = env.get(variable);
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return Files.readString(Path.of(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw InvalidRequestException.of(variable, name, "it must name a readable credentials file ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Whether the caller gave no credentials at all; the engine then uses the uploading machine's. */
    public boolean isEmpty() {
        return environment.isEmpty() && gcpServiceAccountJson == null && openstackCloudsYaml == null;
    }

    /** Variables for uplosi's environment. */
    public Map<String, String> environment() {
        return environment;
    }

    public String gcpServiceAccountJson() {
        return gcpServiceAccountJson;
    }

    public String openstackCloudsYaml() {
        return openstackCloudsYaml;
    }

    /** Every value that must never appear in a log, with the parts tools print on their own. */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        environment.forEach((name, value) -> {
            if (isSecretName(name)) {
                secrets.add(value);
            }
        });
        if (gcpServiceAccountJson != null) {
            secrets.add(gcpServiceAccountJson);
            JsonNode key = gcpKey();
            if (key != null) {
                secrets.add(key.path("private_key").asText(null));
                secrets.add(key.path("private_key_id").asText(null));
            }
        }
        if (openstackCloudsYaml != null) {
            secrets.add(openstackCloudsYaml);
            Matcher m = CLOUDS_SECRET.matcher(openstackCloudsYaml);
            while (m.find()) {
                secrets.add(unquote(m.group(2)));
            }
        }
        secrets.removeIf(s -> s == null || s.isBlank());
        return secrets;
    }

    static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).matches() && !name.endsWith("_FILE") && !name.endsWith("_PATH");
    }

    /** Checks that {@code provider} has what its SDK needs; the messages name what is missing. */
    void check(Provider provider) {
        switch (provider) {
            case AWS -> checkAws();
            case AZURE -> checkAzure();
            case GCP -> checkGcp();
            case OPENSTACK -> checkOpenstack();
        }
    }

    private void checkAws() {
        boolean id = has("AWS_ACCESS_KEY_ID");
        boolean secret = has("AWS_SECRET_ACCESS_KEY");
        if (id != secret) {
            throw new InvalidRequestException("credentials: " + (id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID")
                    + " is missing; AWS access keys come in pairs (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).");
        }
        if (!id && !has("AWS_PROFILE") && !has("AWS_WEB_IDENTITY_TOKEN_FILE")) {
            throw new InvalidRequestException("credentials: no AWS credentials for provider aws; set"
                    + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary keys),"
                    + " or AWS_PROFILE, or AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN.");
        }
    }

    private void checkAzure() {
        List<String> missing = new ArrayList<>();
        for (String name : List.of("AZURE_CLIENT_ID", "AZURE_TENANT_ID")) {
            if (!has(name)) {
                missing.add(name);
            }
        }
        if (!has("AZURE_CLIENT_SECRET") && !has("AZURE_CLIENT_CERTIFICATE_PATH") && !has("AZURE_FEDERATED_TOKEN_FILE")) {
            missing.add("AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE)");
        }
        if (!missing.isEmpty()) {
            throw new InvalidRequestException("credentials: missing for provider azure: " + String.join(", ", missing)
                    + "; uplosi authenticates as an Azure service principal from these variables.");
        }
    }

    private void checkGcp() {
        if (gcpServiceAccountJson == null) {
            throw new InvalidRequestException("credentials: no GCP service-account key for provider gcp; give the"
                    + " key's JSON file with --gcp-credentials FILE or GOOGLE_APPLICATION_CREDENTIALS.");
        }
        JsonNode key = gcpKey();
        if (key == null || !key.isObject() || !key.path("type").isTextual()) {
            throw new InvalidRequestException("credentials: the GCP credentials are not a JSON key file with a"
                    + " \"type\" field; download a service-account key (JSON) from the Google Cloud console.");
        }
        if ("service_account".equals(key.path("type").asText())) {
            for (String field : List.of("client_email", "private_key")) {
                if (!key.path(field).isTextual() || key.path(field).asText().isBlank()) {
                    throw new InvalidRequestException("credentials: the GCP service-account key has no \"" + field
                            + "\"; download a new JSON key for the service account.");
                }
            }
        }
    }

    private void checkOpenstack() {
        if (openstackCloudsYaml == null) {
            throw new InvalidRequestException("credentials: no clouds.yaml for provider openstack; give it with"
                    + " --openstack-clouds FILE or OS_CLIENT_CONFIG_FILE, and name the cloud with"
                    + " --set openstack.cloud=NAME.");
        }
        if (!openstackCloudsYaml.contains("clouds:")) {
            throw new InvalidRequestException("credentials: the OpenStack clouds.yaml has no 'clouds:' section;"
                    + " see https://docs.openstack.org/python-openstackclient/latest/configuration/");
        }
    }

    /** The cloud names at the first level below {@code clouds:} of the clouds.yaml. */
    List<String> openstackCloudNames() {
        List<String> names = new ArrayList<>();
        if (openstackCloudsYaml == null) {
            return names;
        }
        boolean inClouds = false;
        int indent = -1;
        for (String line : openstackCloudsYaml.split("\r?\n")) {
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            int lead = line.length() - line.stripLeading().length();
            if (lead == 0) {
                inClouds = line.startsWith("clouds:");
                continue;
            }
            if (inClouds && (indent < 0 || lead == indent) && line.trim().endsWith(":")) {
                indent = lead;
                names.add(unquote(line.trim().substring(0, line.trim().length() - 1)));
            }
        }
        return names;
    }

    /** Settings the credentials already imply, used when the user set none (AWS_REGION, ...). */
    Map<String, Object> impliedSettings(Provider provider) {
        Map<String, Object> implied = new LinkedHashMap<>();
        switch (provider) {
            case AWS -> {
                String region = has("AWS_REGION") ? environment.get("AWS_REGION") : environment.get("AWS_DEFAULT_REGION");
                if (region != null) {
                    implied.put("region", region);
                }
            }
            case AZURE -> {
                if (has("AZURE_SUBSCRIPTION_ID")) {
                    implied.put("subscriptionID", environment.get("AZURE_SUBSCRIPTION_ID"));
                }
            }
            case GCP -> {
                JsonNode key = gcpKey();
                if (key != null && key.path("project_id").isTextual()) {
                    implied.put("project", key.path("project_id").asText());
                }
            }
            case OPENSTACK -> {
                if (has("OS_CLOUD")) {
                    implied.put("cloud", environment.get("OS_CLOUD"));
                }
            }
        }
        return implied;
    }

    private boolean has(String name) {
        String value = environment.get(name);
        return value != null && !value.isBlank();
    }

    private JsonNode gcpKey() {
        try {
            return gcpServiceAccountJson == null ? null : Json.read(gcpServiceAccountJson);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String unquote(String value) {
        String v = value.trim();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    @Override
    public String toString() {
        return "ProviderCredentials" + new TreeMap<>(environment).keySet()
                + (gcpServiceAccountJson != null ? " +gcp-key" : "") + (openstackCloudsYaml != null ? " +clouds.yaml" : "");
    }

    /** Collects the credentials; names are checked here, presence per provider when the request is built. */
    public static final class Builder {
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String gcpServiceAccountJson;
        private String openstackCloudsYaml;

        private Builder() {
        }

        /** A variable for uplosi's environment, such as AWS_SECRET_ACCESS_KEY. */
        public Builder env(String name, String value) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw InvalidRequestException.of("credentials", name, "a variable name has upper-case letters,"
                        + " digits and '_', e.g. AWS_SECRET_ACCESS_KEY");
            }
            if (value != null && !value.isEmpty()) {
                environment.put(name, value);
            }
            return this;
        }

        /** AWS access keys (the session token only for temporary keys). */
        public Builder aws(String accessKeyId, String secretAccessKey, String sessionToken) {
            return env("AWS_ACCESS_KEY_ID", accessKeyId).env("AWS_SECRET_ACCESS_KEY", secretAccessKey)
                    .env("AWS_SESSION_TOKEN", sessionToken);
        }

        /** An Azure service principal with a client secret. */
        public Builder azure(String clientId, String clientSecret, String tenantId, String subscriptionId) {
            return env("AZURE_CLIENT_ID", clientId).env("AZURE_CLIENT_SECRET", clientSecret)
                    .env("AZURE_TENANT_ID", tenantId).env("AZURE_SUBSCRIPTION_ID", subscriptionId);
        }

        /** The JSON text of a GCP service-account key. */
        public Builder gcpServiceAccountJson(String json) {
            this.gcpServiceAccountJson = json == null || json.isBlank() ? null : json;
            return this;
        }

        /** The text of an OpenStack clouds.yaml. */
        public Builder openstackCloudsYaml(String yaml) {
            this.openstackCloudsYaml = yaml == null || yaml.isBlank() ? null : yaml;
            return this;
        }

        public ProviderCredentials build() {
            return new ProviderCredentials(this);
        }
    }
}
