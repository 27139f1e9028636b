package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.util.security.SecurityUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Turns what users give us (an SSH private key, authorized_keys lines) into checked authorized_keys text. */
public final class SshKeys {
    private SshKeys() {
    }

    /**
     * The OpenSSH public key line of a private key (PEM, PKCS#8 or OpenSSH format, encrypted or not).
     *
     * @param field names the option or parameter the key came from, for the error message
     */
    public static String publicKeyOf(String privateKey, String passphrase, String field) {
        boolean noPassphrase = passphrase == null || passphrase.isEmpty();
        FilePasswordProvider passwords = noPassphrase ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(passphrase);
        // The resource's name is what the library puts in its messages: the option, not a Java object.
        NamedResource resource = NamedResource.ofName(field);
        try (var in = new ByteArrayInputStream(privateKey.getBytes(StandardCharsets.UTF_8))) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, resource, in, passwords);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw notAKey(field);
            }
            return PublicKeyEntry.toString(it.next().getPublic()) + " podvm-debug";
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof InvalidRequestException invalid) {
                throw invalid;
            }
            throw unreadable(field, noPassphrase, e);
        }
    }

    /** Why the key could not be read, in the user's terms: a missing or wrong passphrase, or not a key at all. */
    private static InvalidRequestException unreadable(String field, boolean noPassphrase, Exception e) {
        String reason = String.valueOf(e.getMessage());
        if (noPassphrase && reason.toLowerCase(java.util.Locale.ROOT).contains("encrypted")) {
            return new InvalidRequestException(field + ": the key is encrypted and no passphrase was given; give"
                    + " its passphrase (CLI: in PODVM_SSH_KEY_PASSPHRASE; Jenkins: the SSH credential's passphrase).");
        }
        if (!noPassphrase) {
            return new InvalidRequestException(field + ": the passphrase is wrong, or the key is damaged (the key"
                    + " could not be decrypted: " + e.getClass().getSimpleName() + "). Check the passphrase.");
        }
        return new InvalidRequestException(field + ": cannot be read as an SSH private key (" + reason + "). If the"
                + " key is encrypted, give its passphrase (PODVM_SSH_KEY_PASSPHRASE).");
    }

    public static String publicKeyOfFile(Path file, String passphrase, String field) {
        return publicKeyOf(readKeyFile(file, field), passphrase, field);
    }

    /** Checks every non-comment line as an authorized_keys entry; returns the text normalised to end in a newline. */
    public static String checkAuthorizedKeys(String text, String field) {
        List<String> lines = new ArrayList<>();
        int number = 0;
        for (String raw : text.split("\r?\n")) {
            number++;
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            checkEntry(line, field, number);
            lines.add(line);
        }
        if (lines.isEmpty()) {
            throw new InvalidRequestException(field + ": holds no public key; give lines such as"
                    + " 'ssh-ed25519 AAAA... user@host'.");
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * A warning when a private key file can be read or written by group or others (ssh itself refuses to use
     * such a key), or nothing; podvm still reads it, but the user should know the key is exposed.
     */
    public static Optional<String> exposureWarning(Path file, String field) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            boolean exposed = mode.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"));
            return exposed ? Optional.of(field + ": '" + file + "' can be read by others than its owner (mode "
                    + PosixFilePermissions.toString(mode) + "); a private key should be readable by its owner only"
                    + " (chmod 600 '" + file + "'), and ssh refuses to use it as it is.") : Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    public static String readKeyFile(Path file, String field) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidRequestException(field + ": '" + file + "' does not exist or is not a file.");
        }
        if (!Files.isReadable(file)) {
            throw new InvalidRequestException(field + ": '" + file + "' is not readable by this user.");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidRequestException(field + ": cannot read '" + file + "': " + e.getMessage() + ".");
        }
    }

    private static void checkEntry(String line, String field, int number) {
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line);
            PublicKey key = entry == null ? null : entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            if (key == null) {
                throw new IllegalArgumentException("no key");
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String shown = line.length() > 40 ? line.substring(0, 40) + "..." : line;
            throw new InvalidRequestException(field + ": line " + number + " ('" + shown + "') is not a public key;"
                    + " authorized_keys lines look like 'ssh-ed25519 AAAA... user@host'.");
        }
    }

    private static InvalidRequestException notAKey(String field) {
        return new InvalidRequestException(field + ": is not an SSH private key; give an OpenSSH, PEM or PKCS#8"
                + " private key (the public key is derived from it).");
    }
}
