package io.podvm.engine.measure;

import io.podvm.engine.files.Sha256;

import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;

/** SHA-256 PCRs as a TPM computes them: each starts at zero, and extending sets it to H(old || digest). */
final class PcrBank {
    static final String ZERO = "0".repeat(64);

    private final Map<Integer, byte[]> values = new TreeMap<>();

    void extend(int pcr, byte[] digest) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(values.getOrDefault(pcr, new byte[32]));
        sha.update(digest);
        values.put(pcr, sha.digest());
    }

    void extendData(int pcr, byte[] data) {
        extend(pcr, sha256(data));
    }

    String value(int pcr) {
        return values.containsKey(pcr) ? Hex.of(values.get(pcr)) : ZERO;
    }

    static byte[] sha256(byte[] data) {
        return Sha256.newDigest().digest(data);
    }
}
