package dev.lbchannel.interop;

/**
 * The interop cases over TLS with ALPN h2 and hostname verification (the certificate names
 * 127.0.0.1), against grpc-java's server.
 */
class TlsInteropTests extends InteropTestCases {

    @Override
    InteropServer startServer() {
        return GrpcJavaInteropServer.start(true);
    }
}
