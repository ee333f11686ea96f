package dev.lbchannel.actuate.health;

import dev.lbchannel.boot.LbChannels;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The {@code lbchannel} composite: a {@link ChannelHealthIndicator} for each channel configured at
 * the time of the health request, looked up by name in {@link LbChannels}, so that it follows a
 * refresh that replaces, adds or removes channels. Thread-safe.
 */
final class ChannelHealthContributors implements CompositeHealthContributor {

    private final LbChannels channels;

    ChannelHealthContributors(LbChannels channels) {
        this.channels = requireNonNull(channels, "channels");
    }

    @Override
    public @Nullable HealthContributor getContributor(String name) {
        return channels.find(name).map(channel -> new ChannelHealthIndicator(channel, channels.connectsOnStartup(name)))
                .orElse(null);
    }

    @Override
    public Stream<Entry> stream() {
        return channels.asMap().entrySet().stream().map(entry -> new Entry(entry.getKey(),
                new ChannelHealthIndicator(entry.getValue(), channels.connectsOnStartup(entry.getKey()))));
    }
}
