package dev.lbchannel.actuate.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.binder.grpc.DefaultGrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext;

import static java.util.Objects.requireNonNull;

/**
 * Micrometer's default gRPC client convention ({@code grpc.client}, tagged with the RPC's service,
 * method, type and status code) plus a {@code channel} tag naming the lbchannel channel, the one tag
 * that tells two channels to the same service apart.
 */
final class ChannelObservationConvention extends DefaultGrpcClientObservationConvention {

    static final String CHANNEL_KEY = "channel";

    private final String channel;

    ChannelObservationConvention(String channel) {
        this.channel = requireNonNull(channel, "channel");
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(GrpcClientObservationContext context) {
        return super.getLowCardinalityKeyValues(context).and(CHANNEL_KEY, channel);
    }
}
