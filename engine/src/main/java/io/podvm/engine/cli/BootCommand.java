package io.podvm.engine.cli;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.boot.BootRequest;
import io.podvm.engine.boot.ImageBooter;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.log.SecretMasker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code podvm boot}: boots a built image in a VM with a software TPM; the {@code podvmBoot} step takes the same options. */
@Command(name = "boot", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Boots a built image under QEMU with UEFI (OVMF) and a software TPM 2.0 (swtpm), and checks"
                + " that it comes up with no failed unit; a debug image also reports its services and PCRs.")
final class BootCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IMAGE", description = "The disk image (raw or qcow2), e.g. build/system.raw.")
    String image;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "" + BootRequest.DEFAULT_TIMEOUT_SECONDS,
            description = "How long to wait for the login prompt (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--memory", paramLabel = "MIB", defaultValue = "" + BootRequest.DEFAULT_MEMORY_MIB,
            description = "The VM's memory in MiB (default: ${DEFAULT-VALUE}).")
    int memory;

    // Two plain flags, not one negatable option: picocli swaps --tpm and --no-tpm when the default is true.
    @Option(names = "--tpm", description = "Give the VM a software TPM 2.0 (the default).")
    boolean tpm;

    @Option(names = "--no-tpm", description = "Boot without a TPM (swtpm is then not needed).")
    boolean noTpm;

    @Option(names = "--keep-console", paramLabel = "FILE", description = "Where the console log is kept"
            + " (default: beside the image, IMAGE-STEM.console.log).")
    String keepConsole;

    @Option(names = "--json", description = "Print the result as one JSON line, last on stdout.")
    boolean json;

    @Override
    public Integer call() {
        if (tpm && noTpm) {
            throw new InvalidRequestException("tpm: --tpm and --no-tpm were both given; give one of them.");
        }
        BootRequest request = BootRequest.builder().image(image).timeoutSeconds(timeout).memoryMib(memory).tpm(!noTpm)
                .keepConsole(keepConsole).build();
        BuildLog log = new BuildLog(System.err, new SecretMasker());
        CliOutput.print(json, new ImageBooter(log, Path.of("").toAbsolutePath()).boot(request).toMap());
        return 0;
    }
}
