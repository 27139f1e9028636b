package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.json.Json;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.ProcessRunner;
import io.podvm.engine.tools.Executables;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says where two GPT disk images differ, from the outside in: the partition table, which partitions, the file
 * systems' superblocks, then the files. The files are unpacked without mounting (debugfs for ext4, mtools for
 * vfat; this kernel cannot mount vfat) and compared by diffoscope, whose report is read for the first files it
 * names. diffoscope on the raw images would only hexdump them.
 */
final class ImageDifferences {
    /** How many differing files are reported; the first are enough to find a cause. */
    static final int MAX_FILES = 25;
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration DIFFOSCOPE_TIMEOUT = Duration.ofMinutes(20);
    /** diffoscope's text report names the second tree's side of each differing file: "│ ├── +++ b/etc/x". */
    private static final Pattern REPORT_FILE = Pattern.compile("^(?:│ )*├── \\+\\+\\+ (.+)$");

    private final BuildLog log;
    private final ProcessRunner runner;
    private final Path scratch;

    ImageDifferences(BuildLog log, Path scratch) {
        this.log = log;
        this.runner = new ProcessRunner(log);
        this.scratch = scratch;
    }

    List<String> between(Path a, Path b) throws IOException {
        Files.createDirectories(scratch);
        List<String> differences = new ArrayList<>();
        List<JsonNode> partsA = partitions(a);
        List<JsonNode> partsB = partitions(b);
        differences.addAll(tableDifferences(a, b));
        for (int i = 0; i < Math.min(partsA.size(), partsB.size()); i++) {
            JsonNode pa = partsA.get(i);
            JsonNode pb = partsB.get(i);
            String name = "partition " + (i + 1) + " (" + pa.path("name").asText(pa.path("type").asText()) + ")";
            long blocks = differingMiB(a, pa, b, pb);
            if (blocks > 0) {
                differences.add(name + ": " + blocks + " of " + pa.path("size").asLong() * 512 / (1 << 20)
                        + " MiB differ");
                differences.addAll(fileSystemDifferences(name, a, pa, b, pb, i + 1));
            }
        }
        if (differences.isEmpty()) {
            differences.add("the images differ outside their partitions (GPT headers or padding)");
        }
        return differences;
    }

    private List<JsonNode> partitions(Path image) throws IOException {
        List<JsonNode> parts = new ArrayList<>();
        Json.read(String.join("\n", tool("sfdisk", "-J", image.toString()))).path("partitiontable").path("partitions")
                .forEach(parts::add);
        return parts;
    }

    /** The table's identifiers: a disk or partition UUID that changes between builds is a missing Seed=. */
    private List<String> tableDifferences(Path a, Path b) throws IOException {
        List<String> found = new ArrayList<>();
        JsonNode ta = Json.read(String.join("\n", tool("sfdisk", "-J", a.toString()))).path("partitiontable");
        JsonNode tb = Json.read(String.join("\n", tool("sfdisk", "-J", b.toString()))).path("partitiontable");
        if (!ta.path("id").equals(tb.path("id"))) {
            found.add("partition table: disk UUID " + ta.path("id").asText() + " vs " + tb.path("id").asText());
        }
        for (int i = 0; i < Math.min(ta.path("partitions").size(), tb.path("partitions").size()); i++) {
            JsonNode pa = ta.path("partitions").get(i);
            JsonNode pb = tb.path("partitions").get(i);
            for (String field : List.of("uuid", "start", "size", "type", "name")) {
                if (!pa.path(field).equals(pb.path(field))) {
                    found.add("partition table: partition " + (i + 1) + " " + field + " " + pa.path(field).asText()
                            + " vs " + pb.path(field).asText());
                }
            }
        }
        if (ta.path("partitions").size() != tb.path("partitions").size()) {
            found.add("partition table: " + ta.path("partitions").size() + " vs " + tb.path("partitions").size()
                    + " partitions");
        }
        return found;
    }

    /** The number of MiB blocks of the two partitions that are not byte-identical. */
    private static long differingMiB(Path a, JsonNode pa, Path b, JsonNode pb) throws IOException {
        long size = pa.path("size").asLong() * 512;
        if (size != pb.path("size").asLong() * 512) {
            return Math.max(size, pb.path("size").asLong() * 512) >> 20;
        }
        long differing = 0;
        try (FileChannel ca = FileChannel.open(a, StandardOpenOption.READ);
             FileChannel cb = FileChannel.open(b, StandardOpenOption.READ)) {
            ByteBuffer ba = ByteBuffer.allocate(1 << 20);
            ByteBuffer bb = ByteBuffer.allocate(1 << 20);
            for (long done = 0; done < size; done += 1 << 20) {
                ba.clear();
                bb.clear();
                ca.read(ba, pa.path("start").asLong() * 512 + done);
                cb.read(bb, pb.path("start").asLong() * 512 + done);
                if (!Arrays.equals(ba.array(), bb.array())) {
                    differing++;
                }
            }
        }
        return differing;
    }

    private List<String> fileSystemDifferences(String name, Path a, JsonNode pa, Path b, JsonNode pb, int number)
            throws IOException {
        Path fa = extract(a, pa, scratch.resolve("a-" + number + ".img"));
        Path fb = extract(b, pb, scratch.resolve("b-" + number + ".img"));
        Path da = Files.createDirectories(scratch.resolve("a-" + number));
        Path db = Files.createDirectories(scratch.resolve("b-" + number));
        List<String> found = new ArrayList<>();
        String type = blkidType(fa);
        if (type.equals("ext4")) {
            found.addAll(changedLines(name + " superblock", tool("dumpe2fs", "-h", fa.toString()),
                    tool("dumpe2fs", "-h", fb.toString()), fa, fb));
            // A read-only loop mount shows every file as it is, times of links and directories included;
            // debugfs rdump would give those the time of unpacking, and diffoscope would report that.
            boolean mountedA = mount(fa, da);
            boolean mountedB = mountedA && mount(fb, db);
            try {
                if (mountedB) {
                    found.addAll(diffoscope(name, da, db));
                }
            } finally {
                if (mountedB) {
                    unmount(db);
                }
                if (mountedA) {
                    unmount(da);
                }
            }
            found.addAll(new Ext4BlockDifferences(log).between(name, fa, fb));
        } else if (type.equals("vfat")) {
            found.addAll(changedLines(name + " boot sector", tool("minfo", "-i", fa.toString(), "::"),
                    tool("minfo", "-i", fb.toString(), "::"), fa, fb));
            tool("mcopy", "-s", "-p", "-m", "-n", "-i", fa.toString(), "::/", da.toString());
            tool("mcopy", "-s", "-p", "-m", "-n", "-i", fb.toString(), "::/", db.toString());
            found.addAll(diffoscope(name, da, db));
        }
        Files.deleteIfExists(fa);
        Files.deleteIfExists(fb);
        return found;
    }

    private boolean mount(Path partition, Path dir) {
        ExecResult r = runner.run(ExecSpec.of("mount", "-o", "ro,loop,noload", partition.toString(), dir.toString())
                .timeout(TOOL_TIMEOUT).captureOutput());
        if (!r.succeeded()) {
            log.warn("Cannot mount " + partition + " to compare its files (" + String.join(" ", r.output())
                    + "); the differing files are not listed.");
        }
        return r.succeeded();
    }

    private void unmount(Path dir) {
        runner.run(ExecSpec.of("umount", dir.toString()).timeout(TOOL_TIMEOUT).captureOutput());
    }

    /** The files diffoscope names first; its report goes with the check's stage. */
    private List<String> diffoscope(String name, Path da, Path db) throws IOException {
        Path report = scratch.resolve(da.getFileName() + ".diffoscope.txt");
        Path diffoscope = Executables.find("diffoscope").orElse(null);
        if (diffoscope == null) {
            return List.of(name + ": diffoscope is not installed (apt-get install diffoscope-minimal), so the"
                    + " differing files are not listed");
        }
        runner.run(ExecSpec.of(diffoscope.toString(), "--no-progress", "--exclude-directory-metadata=no",
                "--text", report.toString(), da.toString(), db.toString()).timeout(DIFFOSCOPE_TIMEOUT)
                .onStdout(line -> { }));
        List<String> named = new ArrayList<>();
        if (Files.exists(report)) {
            try (var lines = Files.lines(report)) {
                lines.map(REPORT_FILE::matcher).filter(Matcher::matches).map(m -> m.group(1))
                        .filter(f -> f.startsWith(db + "/")).map(f -> f.substring(db.toString().length()))
                        .forEach(named::add);
            }
        }
        // A directory is named before the files in it that differ; name it only when nothing inside it is.
        List<String> files = named.stream().filter(f -> named.stream().noneMatch(o -> o.startsWith(f + "/")))
                .distinct().limit(MAX_FILES).map(f -> name + ": " + f).toList();
        return files.isEmpty() ? List.of(name + ": diffoscope named no file") : files;
    }

    /** The lines that differ, once the names of the two partition files (which the tools print) are equal. */
    private static List<String> changedLines(String what, List<String> a, List<String> b, Path fa, Path fb) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String la = a.get(i).replace(fa.toString(), "PARTITION").trim();
            String lb = b.get(i).replace(fb.toString(), "PARTITION").trim();
            if (!Objects.equals(la, lb)) {
                found.add(what + ": '" + la + "' vs '" + lb + "'");
            }
        }
        return found;
    }

    private String blkidType(Path partition) {
        ExecResult r = runner.run(ExecSpec.of("blkid", "-o", "value", "-s", "TYPE", partition.toString())
                .timeout(TOOL_TIMEOUT).captureOutput());
        return r.output().isEmpty() ? "" : r.output().get(0).trim();
    }

    private static Path extract(Path image, JsonNode partition, Path target) throws IOException {
        long remaining = partition.path("size").asLong() * 512;
        try (InputStream in = Files.newInputStream(image); OutputStream out = Files.newOutputStream(target)) {
            in.skipNBytes(partition.path("start").asLong() * 512);
            byte[] buffer = new byte[1 << 20];
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                remaining -= n;
            }
        }
        return target;
    }

    private List<String> tool(String... command) {
        ExecResult r = runner.run(ExecSpec.of(command).timeout(TOOL_TIMEOUT).captureOutput());
        if (!r.succeeded()) {
            log.warn(String.join(" ", command) + " failed (exit " + r.exitCode() + ") while looking for differences.");
        }
        return r.output();
    }
}
