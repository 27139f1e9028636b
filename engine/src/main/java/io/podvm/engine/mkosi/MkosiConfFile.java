package io.podvm.engine.mkosi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One mkosi configuration file, kept line for line so that a rewrite changes only what it must.
 *
 * <p>Read by hand rather than with an INI library: mkosi's dialect has repeated keys, values continued on
 * indented lines and {@code |}/{@code !} prefixes in {@code [Match]}, which general INI parsers either
 * reject or merge away.
 */
final class MkosiConfFile {
    /** A setting with the lines it spans: its own line and its indented continuation lines. */
    record Setting(String section, String key, List<String> lines) {
        /** The value as mkosi reads it: comments cut, lines trimmed, blank lines dropped. */
        String value() {
            String first = withoutComment(lines.get(0));
            List<String> parts = new ArrayList<>(List.of(first.substring(first.indexOf('=') + 1).trim()));
            for (String more : lines.subList(1, lines.size())) {
                String part = withoutComment(more).trim();
                if (!part.isEmpty()) {
                    parts.add(part);
                }
            }
            return String.join("\n", parts).trim();
        }
    }

    /** A plain line (section header, comment, blank) or a setting; exactly one of the two is set. */
    private record Block(String line, Setting setting) {
    }

    private final List<Block> blocks;

    private MkosiConfFile(List<Block> blocks) {
        this.blocks = new ArrayList<>(blocks);
    }

    static MkosiConfFile read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static MkosiConfFile of(String text) {
        return parse(text.lines().toList());
    }

    void write(Path file) throws IOException {
        Files.writeString(file, text(), StandardCharsets.UTF_8);
    }

    String text() {
        List<String> lines = new ArrayList<>();
        for (Block block : blocks) {
            if (block.setting() == null) {
                lines.add(block.line());
            } else {
                lines.addAll(block.setting().lines());
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /** Renames a section header; the settings under it keep their lines. */
    void renameSection(String from, String to) {
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            if (block.setting() == null && from.equals(sectionName(block.line()))) {
                blocks.set(i, new Block("[" + to + "]", null));
            } else if (block.setting() != null && block.setting().section().equals(from)) {
                Setting s = block.setting();
                blocks.set(i, new Block(null, new Setting(to, s.key(), s.lines())));
            }
        }
    }

    List<Setting> settings() {
        return blocks.stream().map(Block::setting).filter(s -> s != null).toList();
    }

    List<Setting> settingsIn(String section) {
        return settings().stream().filter(s -> s.section().equals(section)).toList();
    }

    boolean hasSetting(String key) {
        return settings().stream().anyMatch(s -> s.key().equals(key));
    }

    /** Removes the settings that match, continuation lines included, and returns them. */
    List<Setting> removeSettings(Predicate<Setting> which) {
        List<Setting> removed = settings().stream().filter(which).toList();
        blocks.removeIf(block -> block.setting() != null && removed.contains(block.setting()));
        return removed;
    }

    void append(String section, String key, String value) {
        blocks.add(new Block("", null));
        blocks.add(new Block("[" + section + "]", null));
        blocks.add(new Block(null, new Setting(section, key, List.of(key + "=" + value))));
    }

    /** Appends a setting, its continuation lines included, under a new header of {@code section}. */
    void appendLines(String section, List<String> lines) {
        blocks.add(new Block("", null));
        blocks.add(new Block("[" + section + "]", null));
        String key = lines.get(0).substring(0, lines.get(0).indexOf('=')).trim();
        blocks.add(new Block(null, new Setting(section, key, List.copyOf(lines))));
    }

    private static MkosiConfFile parse(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        String section = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String header = sectionName(line);
            if (header != null) {
                section = header;
            }
            if (header != null || !startsSetting(line)) {
                blocks.add(new Block(line, null));
                continue;
            }
            int end = endOfSetting(lines, i);
            String key = line.substring(0, line.indexOf('=')).trim();
            blocks.add(new Block(null, new Setting(section, key, List.copyOf(lines.subList(i, end)))));
            i = end - 1;
        }
        return new MkosiConfFile(blocks);
    }

    /** The section a header line opens, or null when the line is not a header. */
    private static String sectionName(String line) {
        if (line.isEmpty() || Character.isWhitespace(line.charAt(0))) {
            return null;
        }
        String trimmed = line.trim();
        return trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.substring(1, trimmed.length() - 1).trim() : null;
    }

    private static boolean startsSetting(String line) {
        return !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")
                && !line.startsWith(";") && line.contains("=");
    }

    /**
     * One past the last line of the setting that starts at {@code start}: like mkosi, indented lines continue
     * it, and blank or comment lines between them do not end it.
     */
    private static int endOfSetting(List<String> lines, int start) {
        int end = start + 1;
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (withoutComment(line).isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                break;
            }
            end = i + 1;
        }
        return end;
    }

    /** mkosi, like systemd, starts a comment at '#' or ';' anywhere on a line. */
    private static String withoutComment(String line) {
        int cut = line.length();
        for (char c : new char[] {'#', ';'}) {
            int at = line.indexOf(c);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return line.substring(0, cut);
    }
}
