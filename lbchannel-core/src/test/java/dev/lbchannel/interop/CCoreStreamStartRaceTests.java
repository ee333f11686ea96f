package dev.lbchannel.interop;

/** The stream-start race against gRPC C-core's server (Debian's python3-grpcio). */
class CCoreStreamStartRaceTests extends StreamStartRaceCases {

    @Override
    InteropServer startServer() {
        return CCoreInteropServer.start(false);
    }
}
