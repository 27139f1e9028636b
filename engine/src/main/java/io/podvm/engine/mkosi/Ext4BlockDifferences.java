package io.podvm.engine.mkosi;

import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.ProcessRunner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where two ext4 file systems with the same files differ below what a mount shows: each differing block is
 * placed in an inode table (then the inodes' fields that differ, from debugfs stat), in a file's data
 * (debugfs icheck and ncheck name the file) or in other metadata.
 */
final class Ext4BlockDifferences {
    private static final int MAX_BLOCKS = 4096;
    private static final int MAX_INODES = 12;
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern TABLE = Pattern.compile("Inode table at (\\d+)-(\\d+)");
    private static final Pattern NUMBER = Pattern.compile("^%s:\\s+(\\d+)", Pattern.MULTILINE);

    private final ProcessRunner runner;

    Ext4BlockDifferences(BuildLog log) {
        this.runner = new ProcessRunner(log);
    }

    List<String> between(String name, Path a, Path b) throws IOException {
        List<String> header = debugfs(a, null, "dumpe2fs");
        String text = String.join("\n", header);
        int blockSize = number(text, "Block size");
        int inodesPerGroup = number(text, "Inodes per group");
        int inodeSize = number(text, "Inode size");
        List<long[]> tables = new ArrayList<>();
        Matcher m = TABLE.matcher(text);
        while (m.find()) {
            tables.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        TreeSet<Long> inodes = new TreeSet<>();
        List<Long> other = new ArrayList<>();
        for (long block : differingBlocks(a, b, blockSize)) {
            long inode = inodeOf(block, tables, blockSize, inodesPerGroup, inodeSize);
            if (inode > 0) {
                for (long i = inode; i < inode + blockSize / inodeSize; i++) {
                    inodes.add(i);
                }
            } else {
                other.add(block);
            }
        }
        List<String> found = new ArrayList<>();
        found.addAll(inodeFields(name, a, b, inodes));
        found.addAll(dataBlocks(name, a, other));
        return found;
    }

    private List<String> inodeFields(String name, Path a, Path b, TreeSet<Long> inodes) {
        List<String> found = new ArrayList<>();
        int reported = 0;
        for (long inode : inodes) {
            List<String> sa = debugfs(a, "stat <" + inode + ">", "debugfs");
            List<String> sb = debugfs(b, "stat <" + inode + ">", "debugfs");
            if (Objects.equals(sa, sb)) {
                continue;
            }
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < Math.min(sa.size(), sb.size()); i++) {
                if (!sa.get(i).equals(sb.get(i))) {
                    fields.add("'" + sa.get(i).trim() + "' vs '" + sb.get(i).trim() + "'");
                }
            }
            found.add(name + ": inode " + inode + " " + path(a, inode) + ": " + String.join("; ", fields));
            if (++reported == MAX_INODES) {
                found.add(name + ": (more inodes differ)");
                break;
            }
        }
        return found;
    }

    private List<String> dataBlocks(String name, Path a, List<Long> blocks) {
        if (blocks.isEmpty()) {
            return List.of();
        }
        List<Long> some = blocks.subList(0, Math.min(blocks.size(), 200));
        Map<String, Integer> owners = new LinkedHashMap<>();
        for (String line : debugfs(a, "icheck " + String.join(" ", some.stream().map(String::valueOf).toList()),
                "debugfs")) {
            String[] parts = line.trim().split("\\s+", 2);
            if (parts.length == 2 && parts[0].matches("\\d+")) {
                String owner = parts[1].matches("\\d+") ? "data of inode " + parts[1] + " "
                        + path(a, Long.parseLong(parts[1])) : "metadata (not a file's block)";
                owners.merge(owner, 1, Integer::sum);
            }
        }
        List<String> found = new ArrayList<>();
        owners.forEach((owner, count) -> found.add(name + ": " + count + " block(s) of " + owner));
        return found;
    }

    private String path(Path fs, long inode) {
        for (String line : debugfs(fs, "ncheck " + inode, "debugfs")) {
            String[] parts = line.trim().split("\\s+", 2);
            if (parts.length == 2 && parts[0].equals(Long.toString(inode))) {
                return parts[1];
            }
        }
        return "(no path)";
    }

    private static long inodeOf(long block, List<long[]> tables, int blockSize, int inodesPerGroup, int inodeSize) {
        for (int group = 0; group < tables.size(); group++) {
            long[] t = tables.get(group);
            if (block >= t[0] && block <= t[1]) {
                return (long) group * inodesPerGroup + (block - t[0]) * (blockSize / inodeSize) + 1;
            }
        }
        return 0;
    }

    private static List<Long> differingBlocks(Path a, Path b, int blockSize) throws IOException {
        List<Long> blocks = new ArrayList<>();
        try (FileChannel ca = FileChannel.open(a, StandardOpenOption.READ);
             FileChannel cb = FileChannel.open(b, StandardOpenOption.READ)) {
            ByteBuffer ba = ByteBuffer.allocate(blockSize);
            ByteBuffer bb = ByteBuffer.allocate(blockSize);
            for (long block = 0; block * blockSize < ca.size() && blocks.size() < MAX_BLOCKS; block++) {
                ba.clear();
                bb.clear();
                ca.read(ba, block * blockSize);
                cb.read(bb, block * blockSize);
                if (!Arrays.equals(ba.array(), bb.array())) {
                    blocks.add(block);
                }
            }
        }
        return blocks;
    }

    private static int number(String text, String field) {
        Matcher m = Pattern.compile(String.format(NUMBER.pattern(), Pattern.quote(field)), Pattern.MULTILINE).matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private List<String> debugfs(Path fs, String request, String tool) {
        ExecSpec spec = tool.equals("dumpe2fs") ? ExecSpec.of("dumpe2fs", fs.toString())
                : ExecSpec.of("debugfs", "-R", request, fs.toString());
        ExecResult r = runner.run(spec.env("DEBUGFS_PAGER", "__none__").timeout(TOOL_TIMEOUT).onStdout(line -> { })
                .captureStdout());
        return r.output();
    }
}
