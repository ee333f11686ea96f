package dev.lbchannel.interop;

import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.transport.TransportKind;
import org.junit.jupiter.api.Assumptions;

/**
 * The interop cases over plaintext HTTP/2 on Netty's native io_uring, against grpc-java's server.
 * Skipped, saying why, where io_uring cannot run (no native library, or a kernel that refuses it);
 * that is the kernel's choice, not a missing install step, so CI skips it too.
 */
class IoUringPlaintextInteropTests extends InteropTestCases {

    @Override
    InteropServer startServer() {
        try {
            TransportKind.IO_URING.io();
        } catch (IllegalStateException e) {
            System.err.println("Skipping the io_uring interop cases: " + e.getMessage());
            Assumptions.abort(e.getMessage());
        }
        return GrpcJavaInteropServer.start(false);
    }

    @Override
    LbChannelBuilder configure(LbChannelBuilder builder) {
        return builder.transport(TransportKind.IO_URING);
    }
}
