package io.podvm.engine.upload;

import io.podvm.engine.process.ChildEnvironment;

import java.util.List;

/**
 * What uplosi's upload run is given of the host's environment: the base list and the variables of the one
 * provider it uploads to, so that what users rely on keeps working (AWS_PROFILE, AWS_ENDPOINT_URL,
 * AWS_CA_BUNDLE, AZURE_*, a managed identity's endpoint, GOOGLE_* and gcloud's CLOUDSDK_CONFIG, OS_*). Another
 * provider's variables, podvm's own and anything else the machine holds stay out. When the request brings
 * its own credentials, the host's credential variables ({@link ProviderCredentials#KNOWN_VARIABLES}) stay out
 * too: a host AWS_SESSION_TOKEN must not be paired with a request's access key. The {@code --help} and
 * {@code --version} probes get the base list only.
 */
final class UplosiEnvironment {
    private UplosiEnvironment() {
    }

    static ChildEnvironment forUpload(UploadRequest request) {
        ChildEnvironment list = ChildEnvironment.BASE.plus(names(request.provider()), prefixes(request.provider()));
        return request.credentials().isEmpty() ? list : list.except(ProviderCredentials.KNOWN_VARIABLES);
    }

    private static List<String> prefixes(Provider provider) {
        return switch (provider) {
            case AWS -> List.of("AWS_");
            case AZURE -> List.of("AZURE_");
            case GCP -> List.of("GOOGLE_", "CLOUDSDK_", "GCE_METADATA_");
            case OPENSTACK -> List.of("OS_");
        };
    }

    /** Azure managed identity (App Service, Arc, Cloud Shell) as azidentity reads it. */
    private static List<String> names(Provider provider) {
        return provider == Provider.AZURE ? List.of("IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT",
                "IMDS_ENDPOINT", "MSI_ENDPOINT", "MSI_SECRET") : List.of();
    }
}
