package dev.lbchannel;

import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.channelz.ConnectionCounter;
import dev.lbchannel.transport.ClientTransportFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * What every subchannel of one channel shares: the channel's serializer and timers, its
 * transport factory, backoff policy and maximum connection age (0 for none), and the channel's
 * bookkeeping of use, termination and connection counts.
 */
record SubchannelContext(
        Serializer serializer,
        ScheduledExecutorService scheduler,
        ClientTransportFactory transports,
        BackoffPolicy backoffPolicy,
        InUseAggregator inUse,
        Consumer<DefaultSubchannel> onTerminated,
        ConnectionCounter connections,
        long maxConnectionAgeNanos) {

    /** Subchannels whose connections do not age. */
    SubchannelContext(Serializer serializer, ScheduledExecutorService scheduler, ClientTransportFactory transports,
            BackoffPolicy backoffPolicy, InUseAggregator inUse, Consumer<DefaultSubchannel> onTerminated,
            ConnectionCounter connections) {
        this(serializer, scheduler, transports, backoffPolicy, inUse, onTerminated, connections, 0);
    }
}
