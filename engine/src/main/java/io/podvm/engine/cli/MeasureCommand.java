package io.podvm.engine.cli;

import io.podvm.engine.log.BuildLog;
import io.podvm.engine.log.SecretMasker;
import io.podvm.engine.measure.ImageMeasurer;
import io.podvm.engine.measure.MeasureRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code podvm measure}: an image's reference PCR values, without booting it; the {@code podvmMeasure} step takes the same options. */
@Command(name = "measure", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predicts from the image alone the PCR 4, 9, 11, 12 and 13 values a TPM holds after the image"
                + " booted under OVMF, with what went into each (reference values for attestation).")
final class MeasureCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IMAGE", description = "The raw disk image, e.g. build/system.raw.")
    String image;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the JSON to FILE"
            + " (e.g. build/system.pcrs.json).")
    String output;

    @Option(names = "--json", description = "Print the result as one JSON line, last on stdout.")
    boolean json;

    @Override
    public Integer call() {
        MeasureRequest request = MeasureRequest.of(image, output);
        BuildLog log = new BuildLog(System.err, new SecretMasker());
        CliOutput.print(json, new ImageMeasurer(log, Path.of("").toAbsolutePath()).measure(request).toMap());
        return 0;
    }
}
