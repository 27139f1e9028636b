package io.podvm.engine.upload;

import io.podvm.engine.InvalidRequestException;

import java.util.List;
import java.util.Map;

/**
 * The checks uplosi 0.4.0 makes before it uploads (validation.rego: provider, name, version format,
 * required fields), made here first so that the error names the podvm option that fixes it.
 */
final class ConfigChecks {
    private ConfigChecks() {
    }

    static void check(Provider provider, ProviderCredentials credentials, List<UplosiConfig.Scope> scopes) {
        for (UplosiConfig.Scope scope : scopes) {
            checkProvider(provider, scope);
            checkName(scope);
            checkVersion(scope);
            checkRequired(provider, scope);
            if (provider == Provider.OPENSTACK) {
                checkCloud(credentials, scope);
            }
        }
    }

    private static void checkProvider(Provider provider, UplosiConfig.Scope scope) {
        Object configured = scope.settings().get("provider");
        if (!provider.id().equals(configured)) {
            throw new InvalidRequestException("provider: " + (scope.variant() == null ? "the configuration"
                    : "variant " + scope.variant() + " of the configuration") + " uploads to '" + configured
                    + "', but this upload is for " + provider + " (its credentials are for " + provider + "); "
                    + (scope.variant() == null ? "give --provider " + configured + " with its credentials."
                    : "leave the variant out with --disable-variant " + scope.variant() + "."));
        }
    }

    private static void checkName(UplosiConfig.Scope scope) {
        if (!(scope.settings().get("name") instanceof String name) || name.isBlank()) {
            throw new InvalidRequestException("name: no image name" + scope.label() + "; give it with --name NAME"
                    + " (uplosi's base.name).");
        }
    }

    private static void checkVersion(UplosiConfig.Scope scope) {
        if (scope.version() == null) {
            throw new InvalidRequestException("imageVersion: no image version" + scope.label() + "; give"
                    + " --image-version X.Y.Z or --image-version-file FILE.");
        }
        if (!UploadRequest.VERSION.matcher(scope.version()).matches()) {
            throw InvalidRequestException.of("imageVersion" + scope.label(), scope.version(),
                    "a version has the form X.Y.Z, e.g. 1.2.3");
        }
    }

    private static void checkRequired(Provider provider, UplosiConfig.Scope scope) {
        Map<String, Object> table = providerTable(provider, scope);
        for (Provider.Required required : provider.required()) {
            Object value = table.get(required.field());
            if (!(value instanceof String text) || text.isBlank()) {
                String key = provider.id() + "." + required.field();
                throw new InvalidRequestException(key + ": required for provider " + provider + " and not set"
                        + scope.label() + "; set it with --set " + key + "=VALUE, e.g. --set " + key + "="
                        + required.example() + " (uplosi's base." + key + ").");
            }
        }
        if (provider == Provider.AZURE && "community".equals(table.get("sharingProfile"))
                && !(table.get("sharingNamePrefix") instanceof String prefix && !prefix.isBlank())) {
            throw new InvalidRequestException("azure.sharingNamePrefix: required when azure.sharingProfile is"
                    + " 'community'" + scope.label() + "; set it with --set azure.sharingNamePrefix=VALUE (5 to 16"
                    + " letters and digits).");
        }
    }

    private static void checkCloud(ProviderCredentials credentials, UplosiConfig.Scope scope) {
        Object cloud = providerTable(Provider.OPENSTACK, scope).get("cloud");
        List<String> clouds = credentials.openstackCloudNames();
        if (!clouds.isEmpty() && !clouds.contains(cloud)) {
            throw InvalidRequestException.of("openstack.cloud" + scope.label(), cloud, "it must name a cloud of"
                    + " the clouds.yaml, which has: " + String.join(", ", clouds));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> providerTable(Provider provider, UplosiConfig.Scope scope) {
        Object table = scope.settings().get(provider.id());
        return table instanceof Map ? (Map<String, Object>) table : Map.of();
    }
}
