package dev.lbchannel.interop;

/** The interop cases over plaintext h2c against grpc-go's own interop server. */
class GoPlaintextInteropTests extends InteropTestCases {

    @Override
    InteropServer startServer() {
        return GrpcGoInteropServer.start(false);
    }
}
