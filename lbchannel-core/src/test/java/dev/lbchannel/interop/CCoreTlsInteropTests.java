package dev.lbchannel.interop;

/** The interop cases over TLS against gRPC C-core's server (Debian's python3-grpcio). */
class CCoreTlsInteropTests extends InteropTestCases {

    @Override
    InteropServer startServer() {
        return CCoreInteropServer.start(true);
    }
}
