package dev.lbchannel.actuate.metrics;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

import java.util.function.Supplier;

/**
 * The target of the channel configured under one name now, for the {@code grpc.target} tag of its
 * calls: {@link LbChannels} is looked up once, on the first call (the customizer that needs it runs
 * while the bean is being made), then each read is a map lookup and a volatile read. A channel
 * that is no longer configured keeps the last target read. Thread-safe.
 */
final class CurrentTarget implements Supplier<String> {

    private final ObjectProvider<LbChannels> provider;
    private final String name;
    private volatile @Nullable LbChannels channels;
    private volatile String last = "";

    CurrentTarget(ObjectProvider<LbChannels> provider, String name) {
        this.provider = provider;
        this.name = name;
    }

    @Override
    public String get() {
        LbChannels resolved = channels;
        if (resolved == null) {
            resolved = provider.getObject();
            channels = resolved;
        }
        LbChannel channel = resolved.asMap().get(name);
        if (channel != null) {
            last = channel.target();
        }
        return last;
    }
}
