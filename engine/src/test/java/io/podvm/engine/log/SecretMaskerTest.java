package io.podvm.engine.log;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskerTest {
    private final SecretMasker masker = new SecretMasker();

    @Test
    void masksTheValueAndItsCommonEncodings() {
        String secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY";
        masker.add(secret);

        String base64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        String masked = masker.mask("a=" + secret + " b=" + base64 + " c=wJalrXUtnFEMI%2FK7MDENG%2BbPxRfiCY");

        assertThat(masked).isEqualTo("a=**** b=**** c=****");
    }

    @Test
    void masksEachLineOfAMultiLineSecret() {
        masker.add("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n");

        assertThat(masker.mask("got MIIEvQIBADANBgkqhkiG9w0BAQEFAASC here")).isEqualTo("got **** here");
        assertThat(masker.mask("{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"))
                .doesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
    }

    @Test
    void ignoresBlankSecretsAndLeavesOtherTextAlone() {
        masker.add("");
        masker.add(null);

        assertThat(masker.mask("nothing secret here")).isEqualTo("nothing secret here");
    }
}
