package dev.lbchannel.interop;

/** The interop cases over plaintext h2c against gRPC C-core's server (Debian's python3-grpcio). */
class CCorePlaintextInteropTests extends InteropTestCases {

    @Override
    InteropServer startServer() {
        return CCoreInteropServer.start(false);
    }
}
