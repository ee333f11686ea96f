package dev.lbchannel.interop;

/** The interop cases over TLS against grpc-go's own interop server. */
class GoTlsInteropTests extends InteropTestCases {

    @Override
    InteropServer startServer() {
        return GrpcGoInteropServer.start(true);
    }
}
