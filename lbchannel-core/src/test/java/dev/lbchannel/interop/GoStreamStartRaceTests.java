package dev.lbchannel.interop;

/** The stream-start race against grpc-go's own interop server. */
class GoStreamStartRaceTests extends StreamStartRaceCases {

    @Override
    InteropServer startServer() {
        return GrpcGoInteropServer.start(false);
    }
}
