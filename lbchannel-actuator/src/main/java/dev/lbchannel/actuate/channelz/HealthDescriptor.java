package dev.lbchannel.actuate.channelz;

import dev.lbchannel.channelz.SubchannelHealth;
import org.jspecify.annotations.Nullable;

/**
 * A subchannel's client-side health check (gRFC A17):
 * {@code {"state":"NOT_SERVING","serviceName":"orders.v1.Orders","description":"Health service answered NOT_SERVING for 'orders.v1.Orders'"}};
 * {@code {"state":"NOT_CHECKED","serviceName":null,"description":null}} when it is not checked.
 */
public record HealthDescriptor(String state, @Nullable String serviceName, @Nullable String description) {

    static HealthDescriptor of(SubchannelHealth health) {
        return new HealthDescriptor(health.state().name(), health.serviceName(), health.description());
    }
}
