package io.podvm.engine.measure;

import io.podvm.engine.PodvmException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * PCR 11 as systemd-stub extends it: for each UKI section in the stub's fixed order, first the section's
 * name with its NUL byte, then its contents as loaded (VirtualSize bytes). {@code .pcrsig} is never
 * measured (it holds signatures of these very values). Which sections a stub knows depends on its
 * version, read from its {@code .sdmagic} section: {@code .uname} and {@code .sbat} came with systemd 254,
 * {@code .ucode} with 256. After the stub, systemd-pcrphase extends PCR 11 with the boot phases' names.
 */
final class UkiMeasurement {
    private static final List<String> SECTIONS_252 = List.of(".linux", ".osrel", ".cmdline", ".initrd", ".splash",
            ".dtb", ".pcrpkey");
    private static final List<String> SECTIONS_254 = List.of(".linux", ".osrel", ".cmdline", ".initrd", ".splash",
            ".dtb", ".uname", ".sbat", ".pcrpkey");
    private static final List<String> SECTIONS_256 = List.of(".linux", ".osrel", ".cmdline", ".initrd", ".ucode",
            ".splash", ".dtb", ".uname", ".sbat", ".pcrpkey");
    /** systemd-pcrphase's words, in the order the boot reaches them (initrd, switch-root, sysinit, ready). */
    static final List<String> PHASES = List.of("enter-initrd", "leave-initrd", "sysinit", "ready");

    private UkiMeasurement() {
    }

    /** One measured item: what it is and the digest that was extended. */
    record Item(String what, byte[] digest) {
    }

    static int stubMajor(PeImage uki) {
        String version = uki.stubVersion().orElseThrow(() -> new PodvmException("The UKI has no .sdmagic section"
                + " naming a systemd-stub: podvm measure predicts PCR 11 only for systemd-stub UKIs."));
        try {
            return Integer.parseInt(version.replaceAll("^(\\d+).*", "$1"));
        } catch (NumberFormatException e) {
            throw new PodvmException("The UKI's stub version '" + version + "' is not a systemd version.");
        }
    }

    static List<String> sectionOrder(int stubMajor) {
        return stubMajor >= 256 ? SECTIONS_256 : stubMajor >= 254 ? SECTIONS_254 : SECTIONS_252;
    }

    /** The stub's measurements of the UKI, in order. */
    static List<Item> stubItems(PeImage uki) {
        if (uki.section(".linux").isEmpty()) {
            throw new PodvmException("The EFI application is not a UKI (it has no .linux section): podvm measure"
                    + " needs an image that boots a UKI directly (mkosi Bootloader=uki).");
        }
        List<Item> items = new ArrayList<>();
        for (String name : sectionOrder(stubMajor(uki))) {
            uki.section(name).ifPresent(section -> {
                byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
                items.add(new Item("section name " + name, PcrBank.sha256(nameBytes)));
                items.add(new Item("section " + name + " (" + section.virtualSize() + " bytes)",
                        PcrBank.sha256(uki.loaded(section))));
            });
        }
        return items;
    }

    /**
     * PCR 9 as the kernel's own EFI stub extends it (seen in the event log of Debian's Linux 6.1): first its
     * load options, the UKI's .cmdline as UTF-16LE with its NUL ("LOADED_IMAGE::LoadOptions"), then the initrd
     * it loads through the LoadFile2 protocol, which systemd-stub 252 serves from the .initrd section as it is
     * (no credentials or system extensions are added when the ESP has none).
     */
    static List<Item> kernelStubItems(PeImage uki) {
        List<Item> items = new ArrayList<>();
        uki.section(".cmdline").ifPresent(section -> {
            String cmdline = new String(uki.loaded(section), StandardCharsets.US_ASCII);
            int nul = cmdline.indexOf('\0');
            String options = (nul >= 0 ? cmdline.substring(0, nul) : cmdline) + "\0";
            items.add(new Item("EV_EVENT_TAG LOADED_IMAGE::LoadOptions (.cmdline as UTF-16LE)",
                    PcrBank.sha256(options.getBytes(StandardCharsets.UTF_16LE))));
        });
        uki.section(".initrd").ifPresent(section -> items.add(new Item("EV_EVENT_TAG Linux initrd ("
                + section.virtualSize() + " bytes)", PcrBank.sha256(uki.loaded(section)))));
        return items;
    }

    /** The kernel as the stub hands it to LoadImage: the .linux section as loaded, a PE image of its own. */
    static String kernelAuthenticode(PeImage uki) {
        return PeImage.of(uki.loaded(uki.section(".linux").orElseThrow())).authenticodeSha256();
    }

    static List<Item> phaseItems() {
        return PHASES.stream().map(p -> new Item("systemd-pcrphase '" + p + "'",
                PcrBank.sha256(p.getBytes(StandardCharsets.US_ASCII)))).toList();
    }
}
