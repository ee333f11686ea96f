package dev.lbchannel.interop;

import org.jspecify.annotations.Nullable;

import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * grpc-go's own interop server ({@code google.golang.org/grpc/interop/server}, the version Debian
 * packages) in a separate process, built by {@code src/test/go/build-interop-server.sh} into
 * {@code ${LBCHANNEL_CACHE:-~/.cache/lbchannel}/grpc-go-interop}. It cannot report a port of its
 * own choosing, so it is given one; it listens on every address, and tests use 127.0.0.1.
 */
final class GrpcGoInteropServer implements InteropServer {

    private static final String BUILD = "install Debian's golang-go, golang-google-grpc-dev and protobuf-compiler "
            + "(apt-get install golang-go golang-google-grpc-dev protobuf-compiler), then run "
            + "lbchannel-core/src/test/go/build-interop-server.sh";
    private static final int START_ATTEMPTS = 5;
    /** The lowest port picked, clear of the well-known and registered ports services commonly use. */
    private static final int LOWEST_PORT = 10_000;

    private final @Nullable Path directory;
    private final ServerProcess process;
    private final int port;
    private final @Nullable ServerCertificates certificates;

    private GrpcGoInteropServer(@Nullable Path directory, ServerProcess process, int port,
            @Nullable ServerCertificates certificates) {
        this.directory = directory;
        this.process = process;
        this.port = port;
        this.certificates = certificates;
    }

    /** Starts the server, or skips (fails in CI) when it has not been built. */
    static GrpcGoInteropServer start(boolean tls) {
        Path binary = binary();
        if (!Files.isExecutable(binary)) {
            throw MissingTool.report("grpc-go's interop server is not at " + binary + ": " + BUILD);
        }
        Path directory = tls ? TempFiles.createDirectory("grpc-go-interop") : null;
        try {
            ServerCertificates certificates = directory == null ? null : ServerCertificates.writeTo(directory);
            return startOnFreePort(binary, directory, certificates);
        } catch (RuntimeException | AssertionError e) {
            if (directory != null) {
                TempFiles.deleteTree(directory);
            }
            throw e;
        }
    }

    private static GrpcGoInteropServer startOnFreePort(Path binary, @Nullable Path directory,
            @Nullable ServerCertificates certificates) {
        for (int attempt = 1; ; attempt++) {
            int port = freePortBelowEphemeralRange();
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--port=" + port));
            if (certificates != null) {
                command.addAll(List.of("--use_tls=true", "--tls_cert_file=" + certificates.chainFile(),
                        "--tls_key_file=" + certificates.keyFile()));
            }
            ServerProcess process = ServerProcess.start("grpc-go interop server", command);
            try {
                process.awaitListening(port);
                return new GrpcGoInteropServer(directory, process, port, certificates);
            } catch (AssertionError e) {
                process.close();
                // Another process may have bound the port between the probe and the server's listen.
                if (attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public @Nullable TrustManagerFactory trust() {
        return certificates == null ? null : certificates.trust();
    }

    @Override
    public RequestCompression requestCompression() {
        return RequestCompression.REJECTED;
    }

    @Override
    public void close() {
        process.close();
        if (directory != null) {
            TempFiles.deleteTree(directory);
        }
    }

    static Path binary() {
        String cache = System.getenv("LBCHANNEL_CACHE");
        Path root = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "lbchannel");
        return root.resolve("grpc-go-interop").resolve("interop_server");
    }

    /**
     * A port free now, from below the kernel's ephemeral range: the kernel never gives such a port
     * to a connection (as it could a released ephemeral one) before the server binds it.
     */
    private static int freePortBelowEphemeralRange() {
        int ephemeralLow = ephemeralLow();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ephemeralLow - LOWEST_PORT > 1_000
                    ? ThreadLocalRandom.current().nextInt(LOWEST_PORT, ephemeralLow)
                    : ThreadLocalRandom.current().nextInt(1_024, 65_536);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
                return port;
            } catch (IOException e) {
                // Taken; try another.
            }
        }
        throw new AssertionError("No free port found below " + ephemeralLow);
    }

    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
