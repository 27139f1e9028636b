package io.podvm.engine.mkosi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How big the disk image will be, before mkosi runs: mkosi's summary gives no sizes, so the estimate is the sum
 * of the partitions in the definition's {@code mkosi.repart/*.conf} files ({@code SizeMinBytes=}, else
 * {@code SizeMaxBytes=}); a partition without a size (a root partition with {@code Minimize=}) counts
 * {@link #UNSIZED_PARTITION}, and a definition without partition files counts {@link #NO_DEFINITIONS}.
 * A dm-verity hash partition ({@code Verity=hash}) without a size counts {@link #UNSIZED_HASH_PARTITION}: its
 * hash tree is 32 bytes per 4 KiB block of the data partition (1/128, plus its upper levels).
 * Measured: the bundled debian image is 723 MiB (ESP 256 MiB + root 467 MiB), estimated 1 GiB.
 */
record ImageSizeEstimate(long bytes, int partitions) {
    static final long MIB = 1024L * 1024;
    static final long UNSIZED_PARTITION = 768 * MIB;
    static final long NO_DEFINITIONS = 1024 * MIB;
    static final long UNSIZED_HASH_PARTITION = UNSIZED_PARTITION / 64;

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGTP]?)(?:i?B)?", Pattern.CASE_INSENSITIVE);

    /** The estimate from the text of each partition definition. */
    static ImageSizeEstimate of(List<String> definitions) {
        if (definitions.isEmpty()) {
            return new ImageSizeEstimate(NO_DEFINITIONS, 0);
        }
        long total = 0;
        for (String text : definitions) {
            total += partitionSize(MkosiConfFile.of(text));
        }
        return new ImageSizeEstimate(total, definitions.size());
    }

    /** The partition definitions of a user's tree: every {@code mkosi.repart/*.conf} in it, in any image. */
    static ImageSizeEstimate ofTree(Path tree) throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.find(tree, 5, (p, attrs) -> attrs.isRegularFile()
                && p.getParent().getFileName().toString().equals("mkosi.repart") && p.toString().endsWith(".conf"))) {
            for (Path file : files.toList()) {
                texts.add(Files.readString(file));
            }
        }
        return of(texts);
    }

    private static long partitionSize(MkosiConfFile conf) {
        String min = value(conf, "SizeMinBytes");
        String max = value(conf, "SizeMaxBytes");
        Long size = parse(min != null ? min : max);
        if (size != null) {
            return size;
        }
        return "hash".equals(value(conf, "Verity")) ? UNSIZED_HASH_PARTITION : UNSIZED_PARTITION;
    }

    private static String value(MkosiConfFile conf, String key) {
        String found = null;
        for (MkosiConfFile.Setting s : conf.settingsIn("Partition")) {
            if (s.key().equals(key)) {
                found = s.value();
            }
        }
        return found == null || found.isEmpty() ? null : found;
    }

    /** systemd-repart's sizes: bytes, or K, M, G, T, P to the base 1024. */
    private static Long parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        int power = unit.isEmpty() ? 0 : "KMGTP".indexOf(unit) + 1;
        return Long.parseLong(m.group(1)) << (10 * power);
    }
}
