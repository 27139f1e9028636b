package io.podvm.engine.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state file of {@code skipIfUnchanged}: per provider, the content key of the last image uploaded and the
 * references uplosi printed for it. JSON, one object per provider id:
 * {@code {"aws": {"contentKey": "sha256:...", "refs": [...], "version": "1.2.3", "uploadedAt": "..."}}}.
 */
final class UploadState {
    /** One provider's last successful upload. */
    record Entry(String contentKey, List<String> refs, String version, String uploadedAt) {
    }

    private final Path file;
    private final Map<String, Entry> entries;

    private UploadState(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Reads the file; a missing one is an empty state (the first upload), a foreign one a bad request. */
    static UploadState read(Path file) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return new UploadState(file, entries);
        }
        try {
            JsonNode json = Json.read(file);
            if (!json.isObject()) {
                throw new IOException("not a JSON object");
            }
            for (var it = json.fields(); it.hasNext(); ) {
                var provider = it.next();
                JsonNode e = provider.getValue();
                List<String> refs = new ArrayList<>();
                e.path("refs").forEach(r -> refs.add(r.asText()));
                if (!e.path("contentKey").isTextual() || refs.isEmpty()) {
                    throw new IOException("the entry '" + provider.getKey() + "' has no contentKey or no refs");
                }
                entries.put(provider.getKey(), new Entry(e.path("contentKey").asText(), List.copyOf(refs),
                        e.path("version").asText(null), e.path("uploadedAt").asText(null)));
            }
        } catch (IOException e) {
            throw InvalidRequestException.of("skipIfUnchanged", file, "it is not a podvm upload state file ("
                    + e.getMessage() + "); give a new path, or the file an earlier upload with skipIfUnchanged wrote");
        }
        return new UploadState(file, entries);
    }

    Optional<Entry> entry(Provider provider) {
        return Optional.ofNullable(entries.get(provider.id()));
    }

    /** Records a successful upload: written to a temporary name and moved, so a crash leaves the old state. */
    void record(Provider provider, String contentKey, List<String> refs, String version) throws IOException {
        entries.put(provider.id(), new Entry(contentKey, List.copyOf(refs), version, Instant.now().toString()));
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(temp, Json.line(entries) + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
