package dev.lbchannel.interop;

import dev.lbchannel.testing.TestBackend;
import io.grpc.Metadata;
import org.jspecify.annotations.Nullable;

import javax.net.ssl.TrustManagerFactory;

/** grpc-java's interop service in this JVM: {@link TestBackend}, which records each request's headers. */
final class GrpcJavaInteropServer implements InteropServer {

    private final TestBackend backend;

    private GrpcJavaInteropServer(TestBackend backend) {
        this.backend = backend;
    }

    static GrpcJavaInteropServer start(boolean tls) {
        return new GrpcJavaInteropServer(TestBackend.start(tls));
    }

    @Override
    public int port() {
        return backend.port();
    }

    @Override
    public @Nullable TrustManagerFactory trust() {
        return backend.isTls() ? backend.trustManagerFactory() : null;
    }

    @Override
    public RequestCompression requestCompression() {
        return RequestCompression.OBSERVED;
    }

    @Override
    public Metadata lastRequestHeaders() {
        Metadata headers = backend.lastHeaders();
        if (headers == null) {
            throw new AssertionError("The server has started no call");
        }
        return headers;
    }

    @Override
    public void close() {
        backend.close();
    }
}
