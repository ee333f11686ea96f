package dev.lbchannel.interop;

import org.jspecify.annotations.Nullable;

import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * gRPC C-core's server, through Debian's {@code python3-grpcio}, serving the interop service of
 * {@code src/test/python/interop_server.py} in a separate process. Its message classes are
 * generated here with Debian's {@code protoc} from the {@code .proto} files that grpc-interop-testing
 * carries on the class path. The server binds 127.0.0.1 on a port it chooses and prints.
 */
final class CCoreInteropServer implements InteropServer {

    /** Debian's interpreter: python3-grpcio installs for it only, not for another python3 on the PATH. */
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /** Debian's protoc, whose generated code matches python3-protobuf's runtime (a newer protoc's may not). */
    private static final Path PROTOC = Path.of("/usr/bin/protoc");
    private static final Path SCRIPT = Path.of("src/test/python/interop_server.py");
    private static final List<String> PROTOS = List.of("grpc/testing/messages.proto", "grpc/testing/empty.proto");
    private static final String INSTALL = "apt-get install python3-grpcio python3-protobuf protobuf-compiler";

    private final Path directory;
    private final ServerProcess process;
    private final int port;
    private final @Nullable ServerCertificates certificates;

    private CCoreInteropServer(Path directory, ServerProcess process, int port,
            @Nullable ServerCertificates certificates) {
        this.directory = directory;
        this.process = process;
        this.port = port;
        this.certificates = certificates;
    }

    /** Starts the server, or skips (fails in CI) when Debian's gRPC Python or protoc is missing. */
    static CCoreInteropServer start(boolean tls) {
        Path directory = TempFiles.createDirectory("ccore-interop");
        try {
            return start(tls, directory);
        } catch (RuntimeException | AssertionError e) {
            TempFiles.deleteTree(directory);
            throw e;
        }
    }

    private static CCoreInteropServer start(boolean tls, Path directory) {
        requireTools(directory);
        Path generated = generateMessages(directory);
        ServerCertificates certificates = tls ? ServerCertificates.writeTo(directory) : null;
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toAbsolutePath().toString(),
                "--proto-dir", generated.toString()));
        if (certificates != null) {
            command.addAll(List.of("--tls-cert", certificates.chainFile().toString(),
                    "--tls-key", certificates.keyFile().toString()));
        }
        ServerProcess process = ServerProcess.start("C-core interop server", command);
        try {
            int port = Integer.parseInt(process.awaitOutput(Pattern.compile("PORT (\\d+)")));
            return new CCoreInteropServer(directory, process, port, certificates);
        } catch (RuntimeException | AssertionError e) {
            process.close();
            throw e;
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
        return RequestCompression.READ;
    }

    @Override
    public void close() {
        process.close();
        TempFiles.deleteTree(directory);
    }

    private static void requireTools(Path directory) {
        if (!Files.isExecutable(PYTHON) || !Files.isExecutable(PROTOC)) {
            throw MissingTool.report("gRPC C-core interop tests need " + PYTHON + " and " + PROTOC
                    + " (" + INSTALL + ")");
        }
        Path log = directory.resolve("import.log");
        if (TempFiles.run(List.of(PYTHON.toString(), "-c", "import grpc, google.protobuf"), log) != 0) {
            throw MissingTool.report("gRPC C-core interop tests need Debian's python3-grpcio and python3-protobuf ("
                    + INSTALL + "): " + TempFiles.read(log));
        }
        if (!Files.isRegularFile(SCRIPT)) {
            throw new AssertionError(SCRIPT.toAbsolutePath() + " is missing (tests run from lbchannel-core)");
        }
    }

    /** Writes the interop .proto files from the class path and generates their Python modules. */
    private static Path generateMessages(Path directory) {
        Path protos = directory.resolve("proto");
        Path generated = directory.resolve("python");
        try {
            Files.createDirectories(protos);
            Files.createDirectories(generated);
            List<String> command = new ArrayList<>(List.of(PROTOC.toString(), "--python_out=" + generated,
                    // Flat module names (messages_pb2): a grpc.testing package would clash with grpcio's grpc.
                    "-I" + protos));
            for (String proto : PROTOS) {
                Path file = protos.resolve(proto.substring(proto.lastIndexOf('/') + 1));
                try (InputStream in = CCoreInteropServer.class.getClassLoader().getResourceAsStream(proto)) {
                    if (in == null) {
                        throw new AssertionError(proto + " is not on the test class path (grpc-interop-testing)");
                    }
                    Files.copy(in, file);
                }
                command.add(file.toString());
            }
            Path log = directory.resolve("protoc.log");
            if (TempFiles.run(command, log) != 0) {
                throw new AssertionError("protoc failed: " + command + "\n" + TempFiles.read(log));
            }
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
