package io.podvm.engine.measure;

import io.podvm.engine.InvalidRequestException;

import java.io.Serializable;
import java.nio.file.Path;

/** What {@code podvm measure} and the {@code podvmMeasure} step ask for: the image and where the JSON goes. */
public final class MeasureRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String image;
    private final String output;

    private MeasureRequest(String image, String output) {
        this.image = image;
        this.output = output;
    }

    /**
     * @param image  the raw disk image (system.raw)
     * @param output where the reference values are written as JSON (e.g. build/system.pcrs.json), or null
     */
    public static MeasureRequest of(String image, String output) {
        if (image == null || image.isBlank()) {
            throw new InvalidRequestException("image: no image was given; give the raw disk image to measure,"
                    + " e.g. build/system.raw.");
        }
        if (output != null && (output.isBlank() || output.endsWith("/"))) {
            throw InvalidRequestException.of("output", output, "it names the JSON file to write, e.g."
                    + " build/system.pcrs.json");
        }
        return new MeasureRequest(image.trim(), output == null ? null : output.trim());
    }

    public Path image() {
        return Path.of(image);
    }

    public Path output() {
        return output == null ? null : Path.of(output);
    }
}
