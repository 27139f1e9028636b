package io.podvm.engine.boot;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest's serial console. The engine listens on a unix socket and QEMU connects to it as it starts
 * ({@code server=off}), so the engine sees every byte the guest prints, once, from the first: it writes them
 * to the console log itself and types into the same connection, as a user at the console would. (QEMU's own
 * {@code logfile=} was given up: while its socket client lagged it logged some bytes twice.)
 */
final class SerialConsole implements AutoCloseable {
    private final Path log;
    private final Path socket;
    private final ServerSocketChannel server;
    private volatile SocketChannel channel;
    private Thread pump;

    SerialConsole(Path workDir) throws IOException {
        this.log = workDir.resolve("console.log");
        this.socket = workDir.resolve("console.sock");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.createFile(log);
    }

    /** QEMU's options for this console: it connects to the engine's socket. */
    List<String> qemuOptions() {
        return List.of("-chardev", "socket,id=serial0,path=" + socket + ",server=off", "-serial", "chardev:serial0");
    }

    /**
     * Accepts QEMU's connection (QEMU connects while it starts) and copies what the guest prints to the log;
     * false when QEMU ended or did not connect within the limit.
     */
    boolean accept(java.util.function.BooleanSupplier qemuAlive, long limitMillis) throws IOException {
        server.configureBlocking(false);
        long deadline = System.currentTimeMillis() + limitMillis;
        SocketChannel accepted = server.accept();
        while (accepted == null) {
            if (!qemuAlive.getAsBoolean() || System.currentTimeMillis() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for QEMU's console");
            }
            accepted = server.accept();
        }
        accepted.configureBlocking(true);
        channel = accepted;
        pump = new Thread(this::copyToLog, "podvm-console");
        pump.setDaemon(true);
        pump.start();
        return true;
    }

    private void copyToLog() {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try (OutputStream out = Files.newOutputStream(log)) {
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                out.flush();
                buffer.clear();
            }
        } catch (IOException closed) {
            // QEMU ended or the console was closed: the log has what arrived.
        }
    }

    Path log() {
        return log;
    }

    /** Everything printed so far as plain text: no carriage returns, colours or terminal control sequences. */
    String text() {
        try {
            return ConsoleText.printable(new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
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

    /** Types a line; QEMU passes it on as fast as the guest's UART takes it. */
    void type(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\r").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
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
        server.close();
        if (pump != null) {
            try {
                pump.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
