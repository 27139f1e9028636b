package io.podvm.engine.boot;

import io.podvm.engine.PodvmException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * OVMF, the UEFI firmware for QEMU (Debian package {@code ovmf}). The 4M build measures into a TPM 2.0; its
 * variable store is copied per boot so that boots do not share (or change) EFI variables.
 */
record Firmware(Path code, Path varsTemplate) {
    private static final Path DIR = Path.of("/usr/share/OVMF");

    static Firmware find() {
        Firmware firmware = new Firmware(DIR.resolve("OVMF_CODE_4M.fd"), DIR.resolve("OVMF_VARS_4M.fd"));
        for (Path file : new Path[] {firmware.code, firmware.varsTemplate}) {
            if (!Files.isReadable(file)) {
                throw new PodvmException("The UEFI firmware " + file + " is missing: install it with"
                        + " 'apt-get install ovmf' (or run scripts/install-tools.sh).");
            }
        }
        return firmware;
    }
}
