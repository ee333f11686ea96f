package dev.lbchannel.etcd.testing;

import com.google.protobuf.ByteString;
import dev.lbchannel.etcd.api.CompactionRequest;
import dev.lbchannel.etcd.api.DeleteRangeRequest;
import dev.lbchannel.etcd.api.KVGrpc;
import dev.lbchannel.etcd.api.LeaseGrantRequest;
import dev.lbchannel.etcd.api.LeaseGrpc;
import dev.lbchannel.etcd.api.LeaseRevokeRequest;
import dev.lbchannel.etcd.api.PutRequest;
import dev.lbchannel.etcd.api.RangeRequest;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.Executables;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real etcd for tests: Debian's {@code etcd} as a child process, a one-member cluster on
 * 127.0.0.1 with free client and peer ports and a temporary data directory, serving its clients in
 * plaintext or ({@link #startTls()}) TLS with a certificate for 127.0.0.1 from a CA of its own. Tests write to it
 * with etcd's own API (the generated stubs over grpc-java's client), {@link #kill()} it and
 * {@link #restart()} it on the same ports and data, which keeps its keys, revisions and leases.
 *
 * <p>{@link #start()} skips the test (JUnit assumption) when etcd is not installed, except with
 * {@code CI=true}, where a missing etcd fails ({@code .ci/run} installs {@code etcd-server}).
 * The process is ended by its PID on {@link #close()}. Not thread-safe; one test thread drives it.
 */
public final class Etcd implements AutoCloseable {

    private static final List<String> LOCATIONS = List.of("/usr/bin/etcd", "/usr/local/bin/etcd");
    private static final Duration READY_BOUND = Duration.ofSeconds(30);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 5;

    private final Path executable;
    private final Path directory;
    /** The CA and the server certificate when serving TLS, else null. */
    private final X509Bundle ca;
    private final X509Bundle serverCert;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private int clientPort;
    private int peerPort;
    private Process process;
    private ManagedChannel client;

    private Etcd(Path executable, Path directory, boolean tls) {
        this.executable = executable;
        this.directory = directory;
        if (tls) {
            ca = certificateAuthority();
            serverCert = serverCertificate(ca);
        } else {
            ca = null;
            serverCert = null;
        }
    }

    private static X509Bundle certificateAuthority() {
        Instant now = Instant.now();
        try {
            return new CertificateBuilder().subject("CN=etcd test CA").setIsCertificateAuthority(true)
                    .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                    .ecp256().buildSelfSigned();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot make etcd's test CA", e);
        }
    }

    private static X509Bundle serverCertificate(X509Bundle ca) {
        Instant now = Instant.now();
        try {
            return new CertificateBuilder().subject("CN=127.0.0.1").addSanIpAddress("127.0.0.1")
                    .addSanDnsName("localhost").addExtendedKeyUsageServerAuth()
                    .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                    .ecp256().buildIssuedBy(ca);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot make etcd's test certificate", e);
        }
    }

    /** Starts an empty one-member cluster, or skips the test when etcd is absent (and this is not CI). */
    public static Etcd start() {
        return start(false);
    }

    /** As {@link #start()}, serving clients over TLS; clients trust {@link #trustManagerFactory()}. */
    public static Etcd startTls() {
        return start(true);
    }

    private static Etcd start(boolean tls) {
        Path executable = Executables.require("etcd", LOCATIONS, "etcd-server", "the etcd resolver's tests");
        Etcd etcd;
        try {
            etcd = new Etcd(executable, Files.createTempDirectory("etcd"), tls);
            etcd.writeCertificates();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        etcd.startOnFreePorts();
        return etcd;
    }

    private void writeCertificates() throws IOException {
        if (serverCert != null) {
            Files.writeString(directory.resolve("server.pem"), serverCert.getCertificatePathPEM());
            Files.writeString(directory.resolve("server-key.pem"), serverCert.getPrivateKeyPEM());
        }
    }

    /** The CA of etcd's TLS certificate, as PEM, for a Spring SSL bundle. */
    public String caCertificatePem() {
        trustManagerFactory();
        return ca.getCertificatePEM();
    }

    /** Trusts the CA of etcd's TLS certificate. */
    public TrustManagerFactory trustManagerFactory() {
        if (ca == null) {
            throw new IllegalStateException("This etcd serves plaintext; start it with startTls()");
        }
        return ca.toTrustManagerFactory();
    }

    public int port() {
        return clientPort;
    }

    /** {@code 127.0.0.1:port}, as an endpoint for the resolver. */
    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), clientPort);
    }

    /** Puts {@code value} under {@code key}, attached to {@code lease} (0 for none); returns the revision. */
    public long put(String key, String value, long lease) {
        return kv().put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).setLease(lease).build())
                .getHeader().getRevision();
    }

    /** Registers {@code address} under {@code key} as etcd's Go endpoints.Manager writes it. */
    public long register(String key, String address, long lease) {
        return put(key, "{\"Op\":0,\"Addr\":\"" + address + "\",\"Metadata\":null}", lease);
    }

    public long delete(String key) {
        return kv().deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(key)).build()).getHeader().getRevision();
    }

    /** The store's current revision. */
    public long revision() {
        return kv().range(RangeRequest.newBuilder().setKey(bytes("\0")).setLimit(1).build()).getHeader().getRevision();
    }

    /** Compacts the history up to {@code revision}, physically, so a watch from before it is cancelled. */
    public void compact(long revision) {
        kv().compact(CompactionRequest.newBuilder().setRevision(revision).setPhysical(true).build());
    }

    /** Grants a lease of {@code ttl} (whole seconds, at least 2: etcd's minimum here) and returns its ID. */
    public long grantLease(Duration ttl) {
        return LeaseGrpc.newBlockingStub(client).withWaitForReady()
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl.toSeconds()).build()).getID();
    }

    /** Revokes a lease: every key attached to it is deleted at once. */
    public void revokeLease(long lease) {
        LeaseGrpc.newBlockingStub(client).withWaitForReady()
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build());
    }

    /**
     * Turns etcd's authentication on with a {@code root} user of this password, through etcdctl
     * (Debian's etcd-client); from then on this fixture writes with {@link #etcdctlAsRoot}, since
     * its own client has no token. Skips the test when etcdctl is absent (and this is not CI).
     */
    public void enableAuth(String rootPassword) {
        etcdctl("role", "add", "root");
        etcdctl("user", "add", "root", "--new-user-password=" + rootPassword);
        etcdctl("user", "grant-role", "root", "root");
        etcdctl("auth", "enable");
    }

    /** Runs etcdctl as {@code root} with {@code rootPassword}; returns its output, fails on a non-zero exit. */
    public String etcdctlAsRoot(String rootPassword, String... args) {
        List<String> all = new ArrayList<>(List.of("--user", "root", "--password", rootPassword));
        all.addAll(List.of(args));
        return etcdctl(all.toArray(String[]::new));
    }

    private String etcdctl(String... args) {
        Path etcdctl = Executables.require("etcdctl", List.of(executable.resolveSibling("etcdctl").toString()),
                "etcd-client", "etcd's authentication tests");
        List<String> command = new ArrayList<>(List.of(etcdctl.toString(), "--endpoints", endpoint()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(CALL_DEADLINE.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("etcdctl " + String.join(" ", args) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Stops the process with SIGSTOP: its connections stay open and silent, as when a host hangs
     * or a network path disappears without a reset. {@link #thaw()} resumes it.
     */
    public void freeze() {
        signal("STOP");
    }

    /** Resumes the process after {@link #freeze()} with SIGCONT. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String signal) {
        Executables.signal(process, signal);
    }

    /** Ends the process with SIGKILL, as a crash would; its data directory stays. */
    public void kill() {
        stopProcess();
    }

    /** Starts etcd again on the same ports and data directory; returns once it answers. */
    public void restart() {
        launch();
        awaitReady();
    }

    /** Everything etcd has printed, for failure messages. */
    public String log() {
        return String.join("\n", log);
    }

    private KVGrpc.KVBlockingStub kv() {
        return KVGrpc.newBlockingStub(client).withWaitForReady()
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void startOnFreePorts() {
        for (int attempt = 1; ; attempt++) {
            clientPort = freePort();
            peerPort = freePort();
            launch();
            try {
                awaitReady();
                return;
            } catch (AssertionError e) {
                stopProcess();
                // Another process may have taken a port between the probe and etcd's bind.
                if (attempt == START_ATTEMPTS) {
                    close();
                    throw e;
                }
            }
        }
    }

    private void launch() {
        String client = (serverCert != null ? "https" : "http") + "://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--name", "test", "--data-dir", directory.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "test=" + peer, "--initial-cluster-state", "new",
                "--logger", "zap", "--log-level", "warn"));
        if (serverCert != null) {
            command.addAll(List.of("--cert-file", directory.resolve("server.pem").toString(),
                    "--key-file", directory.resolve("server-key.pem").toString()));
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
        Executables.captureOutput(process, log, "etcd-log");
        // A safety net: a test JVM that ends without close() (a killed fork) leaves no etcd behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "etcd-reaper-" + process.pid()));
        if (this.client == null) {
            this.client = testClient();
        }
    }

    private ManagedChannel testClient() {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address());
        if (ca == null) {
            return builder.usePlaintext().build();
        }
        try {
            return builder.sslContext(GrpcSslContexts.forClient().trustManager(ca.toTrustManagerFactory()).build()).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls with a real Range until etcd answers, bounded. */
    private void awaitReady() {
        Await.until("etcd answers on port " + clientPort + "\n" + log(), READY_BOUND,
                () -> answers() || !process.isAlive());
        if (!process.isAlive()) {
            throw new AssertionError("etcd exited with " + process.exitValue() + ":\n" + log());
        }
    }

    private boolean answers() {
        try {
            KVGrpc.newBlockingStub(client).withDeadlineAfter(500, TimeUnit.MILLISECONDS)
                    .range(RangeRequest.newBuilder().setKey(bytes("ready")).build());
            return true;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("etcd (pid " + process.pid() + ") did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ByteString bytes(String text) {
        return ByteString.copyFrom(text, StandardCharsets.UTF_8);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops etcd, closes the test client and deletes the data directory. */
    @Override
    public void close() {
        stopProcess();
        if (client != null) {
            client.shutdownNow();
            try {
                client.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
