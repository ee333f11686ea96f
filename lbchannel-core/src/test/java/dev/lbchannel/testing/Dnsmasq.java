package dev.lbchannel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real DNS server for tests: {@code dnsmasq} as a child process on 127.0.0.1 and a free port
 * (UDP and TCP), authoritative for {@code .test} names only, so an unknown {@code .test} name
 * gets NXDOMAIN. Tests give it A/AAAA records ({@link #hosts}, reloaded with SIGHUP) and TXT
 * records ({@link #txt}, which restarts the process on the same port, since dnsmasq reads TXT
 * records only at start). Each change returns once the server answers with it.
 *
 * <p>Every TXT record is served as character-strings of at most {@value #TXT_STRING} bytes, so
 * a resolver must join a record's strings, as gRFC A2 requires. Queries are logged, so tests can
 * count them with {@link #queries}; the log is in {@link #log()} for failure messages.
 *
 * <p>{@link #start()} skips the test (JUnit assumption) when dnsmasq is not installed, except
 * with {@code CI=true}, where a missing dnsmasq fails. Not thread-safe; one test thread drives it.
 */
public final class Dnsmasq implements AutoCloseable {

    /** The longest character-string this fixture puts in a TXT record. */
    public static final int TXT_STRING = 64;
    private static final List<String> LOCATIONS = List.of("/usr/sbin/dnsmasq", "/usr/local/sbin/dnsmasq");
    private static final Duration READY_BOUND = Duration.ofSeconds(15);
    private static final int START_ATTEMPTS = 5;
    /** dnsmasq cuts config lines a little over 1,000 characters; leave room for the name. */
    private static final int MAX_TXT_LINE = 900;

    private final Path executable;
    private final Path directory;
    private final Path hostsFile;
    private final Path confFile;
    private final Map<String, List<String>> hosts = new LinkedHashMap<>();
    private final Map<String, List<String>> txtRecords = new LinkedHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    /** The TTL of every answer from the hosts file (dnsmasq's --local-ttl); dnsmasq's default is 0. */
    private final long localTtlSeconds;
    private int port;
    private Process process;

    private Dnsmasq(Path executable, Path directory, long localTtlSeconds) {
        this.executable = executable;
        this.directory = directory;
        this.localTtlSeconds = localTtlSeconds;
        this.hostsFile = directory.resolve("hosts");
        this.confFile = directory.resolve("dnsmasq.conf");
    }

    /** Starts an empty server, or skips the test when dnsmasq is absent (and this is not CI). */
    public static Dnsmasq start() {
        return start(Duration.ZERO);
    }

    /** As {@link #start()}, answering A and AAAA questions with records whose TTL is {@code localTtl} (whole seconds). */
    public static Dnsmasq start(Duration localTtl) {
        Path executable = Executables.require("dnsmasq", LOCATIONS, "dnsmasq-base", "DNS tests");
        try {
            Dnsmasq dnsmasq = new Dnsmasq(executable, Files.createTempDirectory("dnsmasq"), localTtl.toSeconds());
            dnsmasq.writeFiles();
            dnsmasq.startOnFreePort();
            return dnsmasq;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** A {@code dns} target that asks this server for {@code hostAndPort}. */
    public String target(String hostAndPort) {
        return "dns://127.0.0.1:" + port + "/" + hostAndPort;
    }

    /**
     * Makes {@code host} resolve to {@code addresses} (IPv4 and IPv6 literals; none removes it),
     * replacing what it had, and returns once dnsmasq has reloaded its hosts.
     */
    public void hosts(String host, String... addresses) {
        if (addresses.length == 0) {
            hosts.remove(host);
        } else {
            hosts.put(host, List.of(addresses));
        }
        long reloads = countLog("read " + hostsFile);
        writeFiles();
        signal("HUP");
        Await.until("dnsmasq reloads " + hostsFile + "\n" + log(), READY_BOUND,
                () -> countLog("read " + hostsFile) > reloads || !process.isAlive());
        assertAlive();
    }

    /**
     * Gives {@code name} these TXT records (none removes them), one record per argument, and
     * restarts dnsmasq on the same port; returns once it answers again. When dnsmasq refuses the
     * records, it is restarted without them, so later tests still have a server, and this fails.
     */
    public void txt(String name, String... records) {
        List<String> previous = txtRecords.get(name);
        if (records.length == 0) {
            txtRecords.remove(name);
        } else {
            for (String record : records) {
                quotedStrings(record);
            }
            txtRecords.put(name, List.of(records));
        }
        try {
            restart();
        } catch (AssertionError e) {
            if (previous == null) {
                txtRecords.remove(name);
            } else {
                txtRecords.put(name, previous);
            }
            restart();
            throw e;
        }
    }

    private void restart() {
        writeFiles();
        stop();
        launch();
        awaitReady();
    }

    /** How many queries of {@code type} (A, AAAA, TXT) for {@code name} the server has received. */
    public long queries(String type, String name) {
        return countLog("query[" + type + "] " + name + " from ");
    }

    /** Everything dnsmasq has printed, for failure messages. */
    public String log() {
        return String.join("\n", log);
    }

    private void startOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            launch();
            try {
                awaitReady();
                return;
            } catch (AssertionError e) {
                stop();
                // Another process may have taken the port between the probe and dnsmasq's bind.
                if (attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void launch() {
        List<String> command = List.of(executable.toString(),
                "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll",
                "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces",
                "--local=/test/", "--addn-hosts=" + hostsFile, "--conf-file=" + confFile,
                // Started by root, dnsmasq would drop to "nobody", which may not read the files.
                "--user=root", "--group=root", "--pid-file=",
                "--log-facility=-", "--log-queries", "--cache-size=0", "--local-ttl=" + localTtlSeconds);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
        Executables.captureOutput(process, log, "dnsmasq-log");
    }

    /** Polls with a real query until dnsmasq answers, bounded. */
    private void awaitReady() {
        Await.until("dnsmasq answers on port " + port + "\n" + log(), READY_BOUND,
                () -> answers() || !process.isAlive());
        assertAlive();
    }

    private boolean answers() {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(200);
            byte[] query = probeQuery();
            socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
            byte[] answer = new byte[512];
            socket.receive(new DatagramPacket(answer, answer.length));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** A query for the A record of {@code ready.test}: header, question, type A, class IN. */
    private static byte[] probeQuery() {
        return new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
            5, 'r', 'e', 'a', 'd', 'y', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1};
    }

    private void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError("dnsmasq exited with " + process.exitValue() + ":\n" + log());
        }
    }

    private void writeFiles() {
        StringBuilder hostsText = new StringBuilder();
        hosts.forEach((host, addresses) -> addresses.forEach(a -> hostsText.append(a).append(' ').append(host).append('\n')));
        StringBuilder conf = new StringBuilder();
        txtRecords.forEach((name, records) -> records.forEach(r -> conf.append("txt-record=").append(name)
                .append(',').append(quotedStrings(r)).append('\n')));
        try {
            Files.writeString(hostsFile, hostsText);
            Files.writeString(confFile, conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The record as dnsmasq's quoted, comma-separated character-strings.
     *
     * @throws IllegalArgumentException when the record is not ASCII or too long for one line of
     *     dnsmasq's config (about 1,000 characters)
     */
    private static String quotedStrings(String record) {
        List<String> strings = new ArrayList<>();
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != record.length()) {
            throw new IllegalArgumentException("This fixture serves ASCII TXT records only");
        }
        for (int i = 0; i < record.length(); i += TXT_STRING) {
            String part = record.substring(i, Math.min(record.length(), i + TXT_STRING));
            strings.add('"' + part.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
        }
        String joined = strings.isEmpty() ? "\"\"" : String.join(",", strings);
        if (joined.length() > MAX_TXT_LINE) {
            throw new IllegalArgumentException("dnsmasq reads config lines of about 1,000 characters at most; this TXT"
                    + " record needs " + joined.length());
        }
        return joined;
    }

    private void signal(String signal) {
        Executables.signal(process, signal);
    }

    private long countLog(String text) {
        return log.stream().filter(line -> line.contains(text)).count();
    }

    private void stop() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort()));
                return udp.getLocalPort();
            } catch (IOException e) {
                // The TCP side of that port is taken; try another.
            }
        }
        throw new AssertionError("No port free for both UDP and TCP on 127.0.0.1");
    }

    /** Stops dnsmasq and deletes its files. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
