package dev.lbchannel.boot.autoconfigure;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The context's channels as they are now: each configured name with its definition and channel,
 * a {@link CurrentChannel} per name for stubs, and the channels a refresh took out that may still
 * be draining. The {@link LbChannels} bean is a view that follows it. Changed by the refresh (one
 * at a time) and closed by {@link LbChannelsLifecycle}; after closing it takes no more channels,
 * so none is left running. Thread-safe: readers of {@link #view()} take one volatile read; the
 * rest is under a private lock that is never held while calling out.
 */
final class LiveChannels {

    private final Object lock = new Object();
    /** Every name ever configured: a stub keeps its name's CurrentChannel across a removal and re-adding. */
    @GuardedBy("lock")
    private final Map<String, CurrentChannel> byName = new HashMap<>();
    @GuardedBy("lock")
    private Map<String, ChannelDefinition> definitions = Map.of();
    @GuardedBy("lock")
    private final Set<LbChannel> retired = new LinkedHashSet<>();
    @GuardedBy("lock")
    private boolean closed;
    private volatile LbChannels current = LbChannels.of(Map.of());
    private final LbChannels view = LbChannels.following(() -> current);

    LiveChannels(List<ChannelDefinition> definitions, Map<String, LbChannel> channels) {
        install(definitions, channels);
    }

    /** The channels configured now, whenever it is read. */
    LbChannels view() {
        return view;
    }

    /** What stubs of channel {@code name} call through, or {@code null} when no channel has that name now. */
    @Nullable CurrentChannel forStubs(String name) {
        synchronized (lock) {
            return definitions.containsKey(name) ? byName.get(name) : null;
        }
    }

    /** The definitions of the channels configured now, by name, in configuration order. */
    Map<String, ChannelDefinition> definitions() {
        synchronized (lock) {
            return definitions;
        }
    }

    /**
     * Makes {@code channels} (by name, built from {@code definitions}, in the same order) the
     * context's channels: stubs and {@link #view()} see them from now on.
     *
     * @return the channels no longer configured, by the name they had, for the caller to drain;
     *     {@code null} when the context is closing, and then nothing changed
     */
    @Nullable Map<String, LbChannel> install(List<ChannelDefinition> definitions, Map<String, LbChannel> channels) {
        Map<String, ChannelDefinition> byDefinition = new LinkedHashMap<>();
        Set<String> connectOnStartup = new LinkedHashSet<>();
        for (ChannelDefinition definition : definitions) {
            byDefinition.put(definition.name(), definition);
            if (definition.connectOnStartup()) {
                connectOnStartup.add(definition.name());
            }
        }
        synchronized (lock) {
            if (closed) {
                return null;
            }
            channels.forEach((name, channel) -> {
                CurrentChannel stubs = byName.get(name);
                if (stubs == null) {
                    byName.put(name, new CurrentChannel(name, channel));
                } else {
                    stubs.switchTo(channel);
                }
            });
            Map<String, LbChannel> out = new LinkedHashMap<>();
            current.asMap().forEach((name, channel) -> {
                if (channels.get(name) != channel) {
                    out.put(name, channel);
                }
            });
            retired.removeIf(LbChannel::isTerminated);
            retired.addAll(out.values());
            this.definitions = Collections.unmodifiableMap(byDefinition);
            current = LbChannels.of(channels, connectOnStartup);
            return out;
        }
    }

    /** Takes no more channels from now on; returns every channel still running, current and retired. */
    List<LbChannel> close() {
        synchronized (lock) {
            closed = true;
            List<LbChannel> all = new ArrayList<>(current.asMap().values());
            retired.stream().filter(channel -> !channel.isTerminated()).forEach(all::add);
            return all;
        }
    }
}
