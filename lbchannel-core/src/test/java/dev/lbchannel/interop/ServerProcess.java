package dev.lbchannel.interop;

import dev.lbchannel.testing.Await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server of another gRPC stack as a child process, with its output captured for failure
 * messages. Its standard input stays open while it runs (a server may exit when it closes).
 * {@link #close()} stops it by its PID: SIGTERM, then SIGKILL if it lingers, each bounded.
 * Not thread-safe; one test thread drives it.
 */
final class ServerProcess implements AutoCloseable {

    static final Duration READY_BOUND = Duration.ofSeconds(20);
    private static final long STOP_SECONDS = 5;

    private final String name;
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private ServerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::capture, name + "-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static ServerProcess start(String name, List<String> command) {
        try {
            return new ServerProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + command, e);
        }
    }

    /** Waits, bounded, for an output line matching {@code pattern}; returns its first group. */
    String awaitOutput(Pattern pattern) {
        Await.until(name + " prints " + pattern + "\n" + output(), READY_BOUND,
                () -> find(pattern).isPresent() || !process.isAlive());
        return find(pattern).orElseThrow(() -> new AssertionError(name + " exited with "
                + process.exitValue() + " before printing " + pattern + ":\n" + output()));
    }

    /** Waits, bounded, until {@code 127.0.0.1:port} accepts a connection; fails if the process exits first. */
    void awaitListening(int port) {
        Await.until(name + " listens on port " + port + "\n" + output(), READY_BOUND,
                () -> accepts(port) || !process.isAlive());
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
        }
    }

    String output() {
        return String.join("\n", output);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError(name + " (PID " + process.pid() + ") survived SIGKILL");
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private Optional<String> find(Pattern pattern) {
        for (String line : output) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.matches()) {
                return Optional.of(matcher.group(1));
            }
        }
        return Optional.empty();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void capture() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException e) {
            output.add("(output closed: " + e + ")");
        }
    }
}
