package dev.lbchannel.boot;

import dev.lbchannel.LbChannelBuilder;

import java.util.Set;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Adjusts the builder of configured channels after the {@code lbchannel.*} properties have been
 * applied, so a customizer has the last word. Declare one as a bean; customizers run in
 * {@link org.springframework.core.annotation.Order @Order}, once per channel, at start-up.
 *
 * <pre>{@code
 * @Bean
 * LbChannelBuilderCustomizer ordersRetry() {
 *     return LbChannelBuilderCustomizer.forChannels(Set.of("orders"), LbChannelBuilder::disableRetry);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface LbChannelBuilderCustomizer {

    /**
     * Customizes the builder of the channel named {@code channelName}
     * ({@code lbchannel.channels.<channelName>}).
     */
    void customize(String channelName, LbChannelBuilder builder);

    /** A customizer for the channels with these names only. */
    static LbChannelBuilderCustomizer forChannels(Set<String> channelNames, Consumer<LbChannelBuilder> customizer) {
        Set<String> names = Set.copyOf(requireNonNull(channelNames, "channelNames"));
        requireNonNull(customizer, "customizer");
        return (channelName, builder) -> {
            if (names.contains(channelName)) {
                customizer.accept(builder);
            }
        };
    }

    /** A customizer for every channel. */
    static LbChannelBuilderCustomizer forAll(Consumer<LbChannelBuilder> customizer) {
        requireNonNull(customizer, "customizer");
        return (channelName, builder) -> customizer.accept(builder);
    }
}
