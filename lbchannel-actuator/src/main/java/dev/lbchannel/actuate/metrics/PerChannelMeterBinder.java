package dev.lbchannel.actuate.metrics;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.boot.autoconfigure.LbChannelsRefreshedEvent;
import dev.lbchannel.boot.autoconfigure.LbChannelsRefresher;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.context.ApplicationListener;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * A binder whose meters belong to one channel each, kept in step with refreshes: after a refresh,
 * the meters of every channel it added, updated, replaced or removed are removed and registered
 * again for the channel of that name now, if any (with its target tag as it is now). Meters of a
 * replaced channel therefore start again from the new channel's counts, as after a restart.
 * Meters refer to their channel weakly, never keeping a closed one alive. Thread-safe: registries
 * bind at start-up, refreshes arrive one at a time.
 */
abstract class PerChannelMeterBinder implements MeterBinder, ApplicationListener<LbChannelsRefreshedEvent> {

    private final LbChannels channels;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    /** By registry, then by channel name: the meters registered for that channel there. */
    private final Map<MeterRegistry, Map<String, List<Meter>>> bound = new ConcurrentHashMap<>();

    PerChannelMeterBinder(LbChannels channels) {
        this.channels = requireNonNull(channels, "channels");
    }

    /** Registers the meters of {@code channel}, known as {@code name}, and returns them. */
    abstract List<Meter> register(MeterRegistry registry, String name, LbChannel channel);

    @Override
    public final void bindTo(MeterRegistry registry) {
        registries.add(registry);
        channels.asMap().forEach((name, channel) -> bind(registry, name, channel));
    }

    @Override
    public final void onApplicationEvent(LbChannelsRefreshedEvent event) {
        LbChannelsRefresher.Result result = event.result();
        Set<String> names = new TreeSet<>();
        names.addAll(result.added());
        names.addAll(result.updated());
        names.addAll(result.replaced());
        names.addAll(result.removed());
        for (MeterRegistry registry : registries) {
            for (String name : names) {
                List<Meter> old = bound.getOrDefault(registry, Map.of()).remove(name);
                if (old != null) {
                    old.forEach(registry::remove);
                }
                channels.find(name).ifPresent(channel -> bind(registry, name, channel));
            }
        }
    }

    private void bind(MeterRegistry registry, String name, LbChannel channel) {
        bound.computeIfAbsent(registry, r -> new ConcurrentHashMap<>()).put(name, register(registry, name, channel));
    }
}
