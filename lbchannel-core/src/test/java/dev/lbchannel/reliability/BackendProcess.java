package dev.lbchannel.reliability;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import org.jspecify.annotations.Nullable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * A gRPC backend in a JVM of its own, so a test can fail it the way hosts fail: {@link #kill()}
 * sends SIGKILL (the kernel resets its connections, nothing is said on the wire);
 * {@link #shutdown()} shuts it down gracefully (GOAWAY, in-flight calls finish, then it exits);
 * {@link #restart()} brings it back on the same port. It serves what {@link TestBackend} serves,
 * names itself in {@link TestBackend#SERVED_BY}, and is run by {@link BackendMain} with this
 * JVM's java and class path.
 *
 * <pre>{@code
 * List<BackendProcess> backends = BackendProcess.builder().start(3);
 * backends.get(0).kill();      // SIGKILL; returns once the process is gone
 * backends.get(0).restart();   // same port
 * }</pre>
 *
 * The child exits when its standard input closes, so it dies with the test JVM however that
 * ends. Not thread-safe: one test thread drives it.
 */
public final class BackendProcess implements AutoCloseable {

    /** How long a child may take to print its port: a JVM start on a loaded 2-core machine. */
    static final Duration START_BOUND = Duration.ofSeconds(30);
    private static final Duration EXIT_BOUND = Duration.ofSeconds(10);
    private static final Duration GRACEFUL_EXIT_BOUND = Duration.ofSeconds(40);
    private static final int BIND_ATTEMPTS = 5;
    /** A small, quick JVM: the children share two cores with the test and each other. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:ActiveProcessorCount=1");

    /** The child's arguments but its port, fixed at start so a restart repeats them. */
    private final List<String> options;
    private Process process;
    private Output output;
    private int port;

    private BackendProcess(List<String> options, Process process, Output output) {
        this.options = options;
        this.process = process;
        this.output = output;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A backend with default options on a free port. */
    public static BackendProcess start() {
        return builder().start();
    }

    /** The port it listens on, the same across restarts. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, as {@link TestBackend#SERVED_BY} names it. */
    public String hostAndPort() {
        return "127.0.0.1:" + port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code of the process that ended (137 after SIGKILL); fails while it runs. */
    public int exitValue() {
        return process.exitValue();
    }

    /** How many calls it has held back ({@link Builder#delayEvery}) and seen arrive, as it printed them. */
    public long heldCalls() {
        return output.held.get();
    }

    /** What the current process printed, for failure messages. */
    public String output() {
        return output.toString();
    }

    /** SIGKILL by PID; returns once the process is gone, and fails if it outlives the bound. */
    public void kill() {
        ProcessHandle handle = process.toHandle();
        handle.destroyForcibly();
        awaitExit(EXIT_BOUND, "SIGKILL");
        if (handle.isAlive()) {
            throw new AssertionError("Backend " + hostAndPort() + " (PID " + handle.pid() + ") survived SIGKILL");
        }
    }

    /**
     * Graceful shutdown: the server sends GOAWAY, refuses new connections, lets its open calls
     * finish and exits; returns once the process is gone. Fails if it does not exit cleanly.
     */
    public void shutdown() {
        command(BackendMain.SHUTDOWN_COMMAND);
        awaitExit(GRACEFUL_EXIT_BOUND, "graceful shutdown");
        Output last = output;
        Await.until("the output of backend " + hostAndPort() + " ends", EXIT_BOUND, () -> last.ended);
        if (process.exitValue() != 0 || !output.lines.contains(BackendMain.TERMINATED_LINE)) {
            throw new AssertionError("Backend " + hostAndPort() + " did not shut down cleanly (exit "
                    + process.exitValue() + "):\n" + output());
        }
    }

    /** Starts it again on the same port (after killing it if it still runs), and waits until it listens. */
    public void restart() {
        if (process.isAlive()) {
            kill();
        }
        for (int attempt = 1; ; attempt++) {
            output = new Output();
            process = launch(options, port, output);
            int bound = awaitPort(process, output);
            if (bound == port) {
                return;
            }
            if (attempt == BIND_ATTEMPTS) {
                throw new AssertionError("Backend cannot bind its port " + port + " again after " + attempt
                        + " attempts:\n" + output());
            }
        }
    }

    /** Closes its input, which stops it at once, and kills it if it lingers. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // It is exiting already; the wait below settles it.
        }
        try {
            if (!process.waitFor(EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void command(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Backend " + hostAndPort() + " no longer reads its input:\n" + output(), e);
        }
    }

    private void awaitExit(Duration bound, String after) {
        try {
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Backend " + hostAndPort() + " (PID " + process.pid() + ") still runs "
                        + bound + " after " + after + ":\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted waiting for backend " + hostAndPort() + " to exit", e);
        }
    }

    private static Process launch(List<String> options, int port, Output output) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BackendMain.class.getName()));
        command.addAll(List.of("--port", Integer.toString(port)));
        command.addAll(options);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a backend JVM: " + command.get(0), e);
        }
        Thread reader = new Thread(() -> capture(process, output), "backend-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    /** Waits, bounded, for the port line; returns -1 if the child could not bind, fails on other exits. */
    private static int awaitPort(Process process, Output output) {
        Await.until("a backend JVM prints its port (PID " + process.pid() + ")", START_BOUND,
                () -> portLine(output) != null || !process.isAlive());
        String line = portLine(output);
        if (line != null) {
            return Integer.parseInt(line.substring(BackendMain.PORT_LINE_PREFIX.length()).trim());
        }
        try {
            process.waitFor(EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (process.exitValue() == BackendMain.EXIT_BIND_FAILED) {
            return -1;
        }
        throw new AssertionError("A backend JVM exited with " + process.exitValue() + " before printing its port:\n"
                + output);
    }

    private static @Nullable String portLine(Output output) {
        for (String line : output.lines) {
            if (line.startsWith(BackendMain.PORT_LINE_PREFIX)) {
                return line;
            }
        }
        return null;
    }

    private static void capture(Process process, Output output) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.add(line);
            }
        } catch (IOException e) {
            output.add("(output closed: " + e + ")");
        }
        output.ended = true;
    }

    /** One process's output: its lines, but held-call lines only counted (a hedging run prints thousands). */
    private static final class Output {
        final Queue<String> lines = new ConcurrentLinkedQueue<>();
        final AtomicLong held = new AtomicLong();
        volatile boolean ended;

        void add(String line) {
            if (line.startsWith(BackendMain.HELD_LINE_PREFIX)) {
                held.incrementAndGet();
            } else {
                lines.add(line);
            }
        }

        @Override
        public String toString() {
            return String.join("\n", lines);
        }
    }

    /** Options of the backend JVM; {@link #start()} and {@link #start(int)} launch with them. */
    public static final class Builder {
        private Duration maxConnectionAge = Duration.ZERO;
        private int delayEvery;
        private Duration delay = Duration.ZERO;

        private Builder() {
        }

        /**
         * Has the server end each connection gracefully (GOAWAY) after about this long, as
         * grpc-java's {@code maxConnectionAge} does (it adds ±10 % jitter; at least 1 s).
         */
        public Builder maxConnectionAge(Duration age) {
            this.maxConnectionAge = requireNonNull(age, "age");
            return this;
        }

        /** Holds back the response of every {@code n}-th unary call until {@code delay} after it started. */
        public Builder delayEvery(int n, Duration delay) {
            if (n < 1) {
                throw new IllegalArgumentException("n must be at least 1, was " + n);
            }
            this.delayEvery = n;
            this.delay = requireNonNull(delay, "delay");
            return this;
        }

        /** Starts one backend on a free port and waits, bounded, until it listens. */
        public BackendProcess start() {
            return start(1).get(0);
        }

        /** Starts {@code count} backends side by side (their JVMs start in parallel) and waits for each. */
        public List<BackendProcess> start(int count) {
            List<BackendProcess> started = new ArrayList<>(count);
            List<String> options = options();
            try {
                for (int i = 0; i < count; i++) {
                    Output output = new Output();
                    started.add(new BackendProcess(options, launch(options, 0, output), output));
                }
                for (BackendProcess backend : started) {
                    backend.port = awaitPort(backend.process, backend.output);
                    if (backend.port < 0) {
                        throw new AssertionError("A backend could not bind a free port:\n" + backend.output());
                    }
                }
                return started;
            } catch (RuntimeException | Error e) {
                started.forEach(BackendProcess::close);
                throw e;
            }
        }

        private List<String> options() {
            List<String> arguments = new ArrayList<>();
            if (!maxConnectionAge.isZero()) {
                arguments.addAll(List.of("--max-connection-age-millis", Long.toString(maxConnectionAge.toMillis())));
            }
            if (delayEvery > 0) {
                arguments.addAll(List.of("--delay-every", Integer.toString(delayEvery),
                        "--delay-millis", Long.toString(delay.toMillis())));
            }
            return List.copyOf(arguments);
        }
    }
}
