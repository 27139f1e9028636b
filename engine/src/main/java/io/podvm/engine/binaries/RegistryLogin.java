package io.podvm.engine.binaries;

import io.podvm.engine.json.Json;
import io.podvm.engine.log.SecretMasker;
import io.podvm.engine.secret.SecretDirectory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A registry user and password, turned into the auth file that podman and skopeo read from
 * {@code REGISTRY_AUTH_FILE} (the containers-auth.json format, which is also Docker's config.json format).
 * The password reaches the tools only through that file, never through a command line.
 */
final class RegistryLogin {
    static final String AUTH_FILE_VARIABLE = "REGISTRY_AUTH_FILE";
    /** Docker's own key for Docker Hub; containers tools use "docker.io". Both are written. */
    private static final String DOCKER_HUB_LEGACY = "https://index.docker.io/v1/";

    private final String user;
    private final String password;

    RegistryLogin(String user, String password) {
        this.user = user;
        this.password = password;
    }

    String user() {
        return user;
    }

    /** Masks the password and the base64 "user:password" the auth file holds, wherever they might be printed. */
    void maskIn(SecretMasker masker) {
        masker.add(password);
        masker.add(user + ":" + password);
    }

    /** Writes a 0400 auth file for the registry into the secret directory and returns its path. */
    Path writeAuthFile(SecretDirectory secrets, String registry) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> entry = Map.of("auth", auth);
        Map<String, Object> auths = new LinkedHashMap<>();
        auths.put(registry, entry);
        if (registry.equals(ImageReference.DOCKER_HUB)) {
            auths.put(DOCKER_HUB_LEGACY, entry);
        }
        return secrets.write(Json.line(Map.of("auths", auths)), ".json");
    }

    @Override
    public String toString() {
        return "RegistryLogin[" + user + ", password hidden]";
    }
}
