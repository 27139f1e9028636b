package io.podvm.engine.boot;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest's serial console: QEMU writes everything the guest prints to a log file and listens on a unix
 * socket that the engine types into, as a user at the console would.
 */
final class SerialConsole implements AutoCloseable {
    private final Path log;
    private final Path socket;
    private SocketChannel channel;

    SerialConsole(Path workDir) {
        this.log = workDir.resolve("console.log");
        this.socket = workDir.resolve("console.sock");
    }

    /** QEMU's options for this console; the log file is written by QEMU itself, so nothing is lost. */
    List<String> qemuOptions() {
        return List.of("-chardev", "socket,id=serial0,path=" + socket + ",server=on,wait=off,logfile=" + log,
                "-serial", "chardev:serial0");
    }

    Path log() {
        return log;
    }

    /** Everything printed so far as plain text: no carriage returns, colours or terminal control sequences. */
    String text() {
        try {
            return Files.exists(log) ? ConsoleText.printable(new String(Files.readAllBytes(log), StandardCharsets.UTF_8)) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The first match of {@code pattern} in what was printed from {@code from} on, or null. */
    Matcher find(Pattern pattern, int from) {
        String text = text();
        Matcher m = pattern.matcher(text);
        return from <= text.length() && m.find(from) ? m : null;
    }

    /** Types a line; QEMU passes it on as fast as the guest's UART takes it, so nothing is lost. */
    void type(String line) throws IOException {
        if (channel == null) {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            drain(channel);
        }
        ByteBuffer bytes = ByteBuffer.wrap((line + "\r").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * QEMU also sends the guest's output to the connected socket and writes to the log only what the socket
     * took: a socket nobody reads fills after a few hundred one-byte writes and stalls the guest's console.
     * So it is read and discarded here; the log file has it all.
     */
    private static void drain(SocketChannel channel) {
        Thread reader = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            try {
                while (channel.read(buffer) >= 0) {
                    buffer.clear();
                }
            } catch (IOException closed) {
                // The console was closed: nothing more to read.
            }
        }, "podvm-console-drain");
        reader.setDaemon(true);
        reader.start();
    }

    /** The last {@code count} non-empty lines, for an error message. */
    String lastLines(int count) {
        List<String> lines = Arrays.stream(text().split("\n"))
                .filter(l -> !l.isBlank()).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
