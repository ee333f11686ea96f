package dev.lbchannel.interop;

/** The interop cases over plaintext HTTP/2 (h2c with prior knowledge), against grpc-java's server. */
class PlaintextInteropTests extends InteropTestCases {

    @Override
    InteropServer startServer() {
        return GrpcJavaInteropServer.start(false);
    }
}
