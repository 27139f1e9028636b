package io.podvm.engine.upload;

import io.podvm.engine.Blank;
import io.podvm.engine.InvalidRequestException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The clouds uplosi uploads to, with the settings uplosi 0.4.0 requires for each and has no default
 * for (its validation.rego {@code required_fields} less the fields its {@code defaultConfig} fills).
 */
public enum Provider {
    AWS("aws", List.of(new Required("region", "eu-central-1"), new Required("bucket", "my-podvm-uploads"))),
    AZURE("azure", List.of(new Required("subscriptionID", "00000000-0000-0000-0000-000000000000"),
            new Required("location", "northeurope"), new Required("resourceGroup", "podvm-images"),
            new Required("sharedImageGallery", "podvm_gallery"))),
    GCP("gcp", List.of(new Required("project", "my-project-123456"), new Required("location", "europe-west3"),
            new Required("bucket", "my-podvm-uploads"))),
    OPENSTACK("openstack", List.of(new Required("cloud", "mycloud")));

    /** A setting uplosi refuses to run without, with an example value for the error message. */
    public record Required(String field, String example) {
    }

    private final String id;
    private final List<Required> required;

    Provider(String id, List<Required> required) {
        this.id = id;
        this.required = required;
    }

    public String id() {
        return id;
    }

    public List<Required> required() {
        return required;
    }

    public static Provider parse(String value, String field) {
        if (value == null) {
            throw new InvalidRequestException(field + ": no provider given; allowed: " + allowed() + ".");
        }
        Blank.refuse(field, value, "give one of " + allowed());
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst()
                .orElseThrow(() -> InvalidRequestException.of(field, value, "allowed: " + allowed()));
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(Provider::id).toList());
    }

    @Override
    public String toString() {
        return id;
    }
}
