package dev.lbchannel;

import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.transport.ClientTransport;
import dev.lbchannel.transport.TransportListener;
import io.grpc.Status;

/**
 * Hops one connection's events from its event loop into the channel's serializer, where its
 * {@link DefaultSubchannel} handles them one at a time with everything else it does.
 */
final class SubchannelTransportEvents implements TransportListener {

    private final DefaultSubchannel subchannel;
    private final Serializer serializer;
    private final ClientTransport transport;

    SubchannelTransportEvents(DefaultSubchannel subchannel, Serializer serializer, ClientTransport transport) {
        this.subchannel = subchannel;
        this.serializer = serializer;
        this.transport = transport;
    }

    @Override
    public void transportReady() {
        serializer.execute(() -> subchannel.onTransportReady(transport));
    }

    @Override
    public void transportShutdown(Status reason) {
        serializer.execute(() -> subchannel.onTransportShutdown(transport, reason));
    }

    @Override
    public void transportTerminated() {
        serializer.execute(() -> subchannel.onTransportTerminated(transport));
    }

    @Override
    public void transportInUse(boolean inUse) {
        serializer.execute(() -> subchannel.onTransportInUse(transport, inUse));
    }
}
