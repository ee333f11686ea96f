package dev.lbchannel.interop;

import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.transport.TransportKind;

/**
 * The interop cases over plaintext HTTP/2 on Java NIO, against grpc-java's server: the other
 * interop classes run on the default transport, which is native epoll where it loads.
 */
class NioPlaintextInteropTests extends InteropTestCases {

    @Override
    InteropServer startServer() {
        return GrpcJavaInteropServer.start(false);
    }

    @Override
    LbChannelBuilder configure(LbChannelBuilder builder) {
        return builder.transport(TransportKind.NIO);
    }
}
