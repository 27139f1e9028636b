package io.podvm.engine.log;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces secret values, and the encodings a tool is likely to print them in, with {@value #MASK}.
 * Multi-line secrets (private keys, service-account JSON) are also masked line by line, because tools
 * print them one line at a time.
 */
public final class SecretMasker {
    public static final String MASK = "****";
    /** Shorter fragments would mask ordinary words; whole secrets are masked whatever their length. */
    private static final int MIN_FRAGMENT = 8;

    private final List<String> patterns = new ArrayList<>();

    public synchronized void add(String secret) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        Set<String> forms = new LinkedHashSet<>(encodings(secret));
        if (secret.contains("\n")) {
            for (String line : secret.split("\r?\n")) {
                String trimmed = line.trim();
                if (trimmed.length() >= MIN_FRAGMENT) {
                    forms.addAll(encodings(trimmed));
                }
            }
        }
        for (String form : forms) {
            if (!patterns.contains(form)) {
                patterns.add(form);
            }
        }
        // Longest first, so that a secret is masked whole before any of its fragments.
        patterns.sort(Comparator.comparingInt(String::length).reversed());
    }

    public synchronized String mask(String text) {
        String masked = text;
        for (String pattern : patterns) {
            masked = masked.replace(pattern, MASK);
        }
        return masked;
    }

    private static List<String> encodings(String value) {
        List<String> forms = new ArrayList<>();
        forms.add(value);
        forms.add(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
        forms.add(jsonEscaped(value));
        return forms;
    }

    private static String jsonEscaped(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\t", "\\t");
    }
}
