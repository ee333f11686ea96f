package dev.lbchannel.interop;

import io.grpc.Metadata;
import org.jspecify.annotations.Nullable;

import javax.net.ssl.TrustManagerFactory;

/**
 * A gRPC server of some stack serving the interop {@code grpc.testing.TestService} on
 * {@code 127.0.0.1}, for {@link InteropTestCases}: grpc-java in this JVM, or gRPC C-core and
 * grpc-go as separate processes, whose wire behaviour differs from grpc-java's.
 */
interface InteropServer extends AutoCloseable {

    int port();

    /** Trusts the server's certificate (valid for localhost and 127.0.0.1); {@code null} when it speaks plaintext. */
    @Nullable TrustManagerFactory trust();

    /** What the server does with gzip-compressed requests, and what a test can see of it. */
    RequestCompression requestCompression();

    /** The metadata of the last call the server started; only where {@link RequestCompression#OBSERVED}. */
    default Metadata lastRequestHeaders() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not show request headers");
    }

    /** Stops the server, and its process if it has one. */
    @Override
    void close();

    enum RequestCompression {
        /** Reads gzip, and shows the test each request's headers (grpc-java's server in this JVM). */
        OBSERVED,
        /** Reads gzip, but shows the test nothing of what arrived (C-core keeps {@code grpc-encoding} to itself). */
        READ,
        /** Has no gzip codec, so must answer a gzip request UNIMPLEMENTED (grpc-go's interop server). */
        REJECTED
    }
}
