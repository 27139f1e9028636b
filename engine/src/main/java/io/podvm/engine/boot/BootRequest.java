package io.podvm.engine.boot;

import io.podvm.engine.InvalidRequestException;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code podvm boot} and the {@code podvmBoot} step ask for: validated on construction, immutable and
 * serializable (paths as strings, resolved on the machine that boots).
 */
public final class BootRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_TIMEOUT_SECONDS = 900;
    public static final int DEFAULT_MEMORY_MIB = 2048;
    static final int MAX_TIMEOUT_SECONDS = 6 * 3600;
    static final int MIN_MEMORY_MIB = 256;
    static final int MAX_MEMORY_MIB = 65536;

    private final String image;
    private final int timeoutSeconds;
    private final int memoryMib;
    private final boolean tpm;
    private final String keepConsole;

    private BootRequest(Builder b) {
        this.image = b.image;
        this.timeoutSeconds = b.timeoutSeconds;
        this.memoryMib = b.memoryMib;
        this.tpm = b.tpm;
        this.keepConsole = b.keepConsole;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path image() {
        return Path.of(image);
    }

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    public int memoryMib() {
        return memoryMib;
    }

    public boolean tpm() {
        return tpm;
    }

    /** Where the console log is kept, or null to keep it only when the boot fails. */
    public Path keepConsole() {
        return keepConsole == null ? null : Path.of(keepConsole);
    }

    /** Collects the options; {@link #build()} checks them, each error naming its field. */
    public static final class Builder {
        private String image;
        private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
        private int memoryMib = DEFAULT_MEMORY_MIB;
        private boolean tpm = true;
        private String keepConsole;

        public Builder image(String image) {
            this.image = blankToNull(image);
            return this;
        }

        public Builder timeoutSeconds(int seconds) {
            this.timeoutSeconds = seconds;
            return this;
        }

        public Builder memoryMib(int mib) {
            this.memoryMib = mib;
            return this;
        }

        public Builder tpm(boolean tpm) {
            this.tpm = tpm;
            return this;
        }

        public Builder keepConsole(String file) {
            this.keepConsole = blankToNull(file);
            return this;
        }

        public BootRequest build() {
            if (image == null) {
                throw new InvalidRequestException("image: no image was given; give the disk image to boot,"
                        + " e.g. build/system.raw.");
            }
            if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
                throw InvalidRequestException.of("timeout", timeoutSeconds, "the timeout is in seconds, from 1 to "
                        + MAX_TIMEOUT_SECONDS + " (TCG needs about 120 s to a login, KVM about 15 s)");
            }
            if (memoryMib < MIN_MEMORY_MIB || memoryMib > MAX_MEMORY_MIB) {
                throw InvalidRequestException.of("memory", memoryMib, "the memory is in MiB, from "
                        + MIN_MEMORY_MIB + " to " + MAX_MEMORY_MIB);
            }
            if (keepConsole != null && keepConsole.endsWith("/")) {
                throw InvalidRequestException.of("keepConsole", keepConsole, "it names a file, not a directory");
            }
            return new BootRequest(this);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
