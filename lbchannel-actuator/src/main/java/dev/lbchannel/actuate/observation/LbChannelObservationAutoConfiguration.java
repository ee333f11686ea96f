package dev.lbchannel.actuate.observation;

import dev.lbchannel.boot.LbChannelBuilderCustomizer;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.boot.autoconfigure.LbChannelAutoConfiguration;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Observes every call of every channel when the application has an {@link ObservationRegistry}
 * (Spring Boot makes one with Actuator): Spring's tracing then sees each call as a span whose
 * context travels in the request headers, and the metrics handler times it as {@code grpc.client}
 * with a {@code channel} tag; its peer is the address and port of the backend the call went to. A
 * {@link GrpcClientObservationConvention} bean replaces the naming and tags for all channels; {@code management.observations.enable.grpc.client=false} turns the
 * observations off (Boot's own switch by name prefix).
 */
@AutoConfiguration(after = {LbChannelAutoConfiguration.class, ObservationAutoConfiguration.class})
@ConditionalOnClass({ObservationRegistry.class, ObservationGrpcClientInterceptor.class,
        ObservationAutoConfiguration.class})
@ConditionalOnBean({ObservationRegistry.class, LbChannels.class})
public final class LbChannelObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "lbChannelObservationCustomizer")
    LbChannelBuilderCustomizer lbChannelObservationCustomizer(ObjectProvider<ObservationRegistry> registry,
            ObjectProvider<GrpcClientObservationConvention> convention) {
        return (channelName, builder) -> {
            ObservationGrpcClientInterceptor interceptor = new ObservationGrpcClientInterceptor(registry.getObject());
            interceptor.setCustomConvention(convention.getIfAvailable(() -> new ChannelObservationConvention(channelName)));
            // The builder runs the last interceptor first: the observation opens around the peer's recorder.
            builder.intercept(new PeerAddressInterceptor(registry.getObject()));
            builder.intercept(interceptor);
        };
    }
}
