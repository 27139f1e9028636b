package io.podvm.engine.log;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MaskingOutputStreamTest {
    private static final String SECRET = "s3cr3t/value+x";

    @Test
    void aSecretWrittenInPiecesAndFlushedBetweenIsStillMasked() throws Exception {
        SecretMasker masker = new SecretMasker();
        masker.add(SECRET);
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        MaskingOutputStream masking = new MaskingOutputStream(target, masker);
        PrintStream out = new PrintStream(masking, true, StandardCharsets.UTF_8);
        out.print("key " + SECRET.substring(0, 5));
        out.flush();
        assertThat(target.toString(StandardCharsets.UTF_8)).isEmpty();
        out.println(SECRET.substring(5) + " end");
        out.print("unfinished " + SECRET);
        masking.finish();
        assertThat(target.toString(StandardCharsets.UTF_8)).isEqualTo("key **** end\nunfinished ****");
    }
}
