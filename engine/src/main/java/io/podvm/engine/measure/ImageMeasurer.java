package io.podvm.engine.measure;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.files.FileTrees;
import io.podvm.engine.json.Json;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.HostEnvironment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Predicts, from a disk image alone, the PCRs that a TPM holds after the image has booted under OVMF:
 * <ul>
 * <li>PCR 4 (boot applications): OVMF's "Calling EFI Application from Boot Option" action, the separator
 * that ends the pre-boot phase, and the Authenticode digest of the UKI that it starts from
 * {@code \EFI\BOOT\BOOTX64.EFI}, then that of the kernel, which systemd-stub loads from the .linux section
 * with the firmware's LoadImage (the event log of a real boot shows both);</li>
 * <li>PCR 9: the kernel command line and the initrd, which the kernel's EFI stub measures;</li>
 * <li>PCR 11 (the UKI's payload): systemd-stub's measurements of the UKI's sections, then
 * systemd-pcrphase's four boot phases;</li>
 * <li>PCR 12 and 13 stay zero: the stub measures into them only a command line given by a boot loader,
 * credentials and system extensions, which a UKI booted directly by the firmware does not have.</li>
 * </ul>
 * The other PCRs depend on the firmware build and the machine (0-3, 5-7) or the running system, not on
 * the image.
 */
public final class ImageMeasurer {
    static final String BOOT_PATH = "/EFI/BOOT/BOOTX64.EFI";
    static final String CALLING_APPLICATION = "Calling EFI Application from Boot Option";

    private final BuildLog log;
    private final Path base;
    /** Where mcopy is found, and what it is given of it: the CLI's environment or a Jenkins step's. */
    private final HostEnvironment host;

    public ImageMeasurer(BuildLog log, Path base) {
        this(log, base, HostEnvironment.current());
    }

    public ImageMeasurer(BuildLog log, Path base, HostEnvironment host) {
        this.log = log;
        this.base = base;
        this.host = host;
    }

    public MeasureResult measure(MeasureRequest request) {
        long start = System.nanoTime();
        Path image = base.resolve(request.image()).normalize();
        Path output = request.output() == null ? null : base.resolve(request.output()).normalize();
        check(request, image, output);
        Path scratch = scratch();
        try {
            byte[] ukiBytes = new EspReader(log, image, host).read(BOOT_PATH, scratch);
            if (ukiBytes == null) {
                throw new PodvmException("The ESP of " + image + " has no " + BOOT_PATH + ": the firmware would find"
                        + " nothing to boot. Build the image with mkosi Bootloader=uki.");
            }
            MeasureResult result = predict(image, ukiBytes, output, start);
            if (output != null) {
                write(output, result);
            }
            return result;
        } catch (IOException e) {
            throw new PodvmException("Cannot read " + image + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new PodvmException(BOOT_PATH + " in " + image + " cannot be read as a PE image: " + e.getMessage()
                    + ".", e);
        } finally {
            try {
                FileTrees.deleteRecursively(scratch);
            } catch (IOException e) {
                log.warn("Could not delete " + scratch + ": " + e.getMessage());
            }
        }
    }

    private MeasureResult predict(Path image, byte[] ukiBytes, Path output, long start) {
        PeImage uki = PeImage.of(ukiBytes);
        String authenticode = uki.authenticodeSha256();
        Map<Integer, List<UkiMeasurement.Item>> items = new TreeMap<>();
        items.put(4, List.of(
                new UkiMeasurement.Item("EV_EFI_ACTION '" + CALLING_APPLICATION + "'",
                        PcrBank.sha256(CALLING_APPLICATION.getBytes(StandardCharsets.US_ASCII))),
                new UkiMeasurement.Item("EV_SEPARATOR", PcrBank.sha256(new byte[4])),
                new UkiMeasurement.Item("EV_EFI_BOOT_SERVICES_APPLICATION " + BOOT_PATH + " (Authenticode)",
                        Hex.parse(authenticode)),
                new UkiMeasurement.Item("EV_EFI_BOOT_SERVICES_APPLICATION the UKI's .linux (Authenticode)",
                        Hex.parse(UkiMeasurement.kernelAuthenticode(uki)))));
        List<UkiMeasurement.Item> pcr9 = UkiMeasurement.kernelStubItems(uki);
        if (!pcr9.isEmpty()) {
            items.put(9, pcr9);
        }
        List<UkiMeasurement.Item> pcr11 = new ArrayList<>(UkiMeasurement.stubItems(uki));
        pcr11.addAll(UkiMeasurement.phaseItems());
        items.put(11, pcr11);
        items.put(12, List.of());
        items.put(13, List.of());
        PcrBank bank = new PcrBank();
        Map<Integer, String> pcrs = new LinkedHashMap<>();
        Map<Integer, List<Map<String, String>>> events = new LinkedHashMap<>();
        items.forEach((pcr, list) -> {
            List<Map<String, String>> described = new ArrayList<>();
            for (UkiMeasurement.Item item : list) {
                bank.extend(pcr, item.digest());
                described.add(Map.of("event", item.what(), "sha256", Hex.of(item.digest())));
            }
            pcrs.put(pcr, bank.value(pcr));
            events.put(pcr, described);
        });
        String stub = uki.stubVersion().orElse("?");
        log.info("Predicted PCR 4 " + pcrs.get(4) + ", PCR 11 " + pcrs.get(11) + " (systemd-stub " + stub + ").");
        return new MeasureResult(image.toString(), pcrs, Hex.of(PcrBank.sha256(ukiBytes)), authenticode, stub, events,
                output == null ? null : output.toString(), Math.round((System.nanoTime() - start) / 1e8) / 10.0);
    }

    private void check(MeasureRequest request, Path image, Path output) {
        if (!Files.isRegularFile(image) || !Files.isReadable(image)) {
            throw InvalidRequestException.of("image", request.image(), Files.exists(image)
                    ? "it is not a readable file; give the raw disk image mkosi wrote, e.g. build/system.raw"
                    : "no such file; give the raw disk image mkosi wrote, e.g. build/system.raw");
        }
        if (output != null && (output.getParent() == null || !Files.isDirectory(output.getParent()))) {
            throw InvalidRequestException.of("output", request.output(), "its directory must exist");
        }
        if (output != null && Files.isDirectory(output)) {
            throw InvalidRequestException.of("output", request.output(), "it is a directory; name the JSON file");
        }
    }

    private static void write(Path output, MeasureResult result) throws IOException {
        Path partial = output.resolveSibling("." + output.getFileName() + ".part");
        Files.writeString(partial, Json.line(result.toMap()) + "\n");
        Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("podvm-measure-");
        } catch (IOException e) {
            throw new PodvmException("Cannot create a scratch directory in " + System.getProperty("java.io.tmpdir")
                    + ": " + e.getMessage(), e);
        }
    }
}
