package dev.lbchannel.boot;

import dev.lbchannel.LbChannel;
import org.jspecify.annotations.Nullable;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The channels of an application context, by the names they have under
 * {@code lbchannel.channels.<name>}, in the order they were configured. The auto-configuration
 * creates every channel at start-up (each connects on its first call, unless it asks to connect
 * on start-up) and shuts them down with the context. Thread-safe.
 *
 * <p>The auto-configuration's bean follows refreshes ({@code LbChannelsRefresher}): every method
 * answers with the channels configured at the time of the call, so a channel that was replaced
 * is no longer returned, and an added one is. Code that keeps an {@link LbChannel} it got here
 * keeps that object, which a replacement drains and shuts down; stub beans, and stubs made over
 * {@link #get} each time, follow.
 *
 * <pre>{@code
 * OrdersGrpc.OrdersBlockingStub orders = OrdersGrpc.newBlockingStub(channels.get("orders"));
 * }</pre>
 */
public final class LbChannels implements Iterable<LbChannel> {

    private final @Nullable Contents fixed;
    private final @Nullable Supplier<LbChannels> source;

    private LbChannels(@Nullable Contents fixed, @Nullable Supplier<LbChannels> source) {
        this.fixed = fixed;
        this.source = source;
    }

    /** Channels by name, in the map's iteration order. */
    public static LbChannels of(Map<String, LbChannel> channels) {
        return of(channels, Set.of());
    }

    /**
     * Channels by name, in the map's iteration order, of which those named in
     * {@code connectOnStartup} were asked to connect when the application starts.
     */
    public static LbChannels of(Map<String, LbChannel> channels, Set<String> connectOnStartup) {
        requireNonNull(channels, "channels");
        Map<String, LbChannel> copy = new LinkedHashMap<>();
        channels.forEach((name, channel) -> copy.put(requireNonNull(name, "name"), requireNonNull(channel, name)));
        return new LbChannels(new Contents(Collections.unmodifiableMap(copy), Set.copyOf(connectOnStartup)), null);
    }

    /**
     * Channels that are, at each call of a method, those of {@code source.get()}: for a component
     * that replaces channels at runtime, as the starter's refresh does. {@code source} must be
     * cheap and thread-safe, such as a read of a volatile field, and never return a following
     * instance.
     */
    public static LbChannels following(Supplier<LbChannels> source) {
        return new LbChannels(null, requireNonNull(source, "source"));
    }

    private Contents contents() {
        Contents own = fixed;
        return own != null ? own : requireNonNull(requireNonNull(source).get().fixed, "a following source");
    }

    /**
     * Whether channel {@code name} connects at start-up ({@code connect-on-startup: true}): health
     * then reports it out of service until it has connected once, so readiness can wait for it.
     */
    public boolean connectsOnStartup(String name) {
        return contents().connectOnStartup().contains(name);
    }

    /**
     * The channel configured as {@code lbchannel.channels.<name>}.
     *
     * @throws IllegalArgumentException if there is none; the message lists the configured names
     */
    public LbChannel get(String name) {
        Map<String, LbChannel> channels = contents().channels();
        LbChannel channel = channels.get(requireNonNull(name, "name"));
        if (channel == null) {
            throw new IllegalArgumentException("No lbchannel channel named '" + name + "'; configured channels: "
                    + (channels.isEmpty() ? "none (set lbchannel.channels.<name>.target)"
                    : String.join(", ", channels.keySet())));
        }
        return channel;
    }

    /** The channel configured as {@code lbchannel.channels.<name>}, if there is one. */
    public Optional<LbChannel> find(String name) {
        return Optional.ofNullable(contents().channels().get(requireNonNull(name, "name")));
    }

    /** The configured (and enabled) channel names, in configuration order. */
    public Set<String> names() {
        return contents().channels().keySet();
    }

    /** The channels by name, unmodifiable, in configuration order; a refresh does not change a map already returned. */
    public Map<String, LbChannel> asMap() {
        return contents().channels();
    }

    public int size() {
        return contents().channels().size();
    }

    @Override
    public Iterator<LbChannel> iterator() {
        return contents().channels().values().iterator();
    }

    @Override
    public String toString() {
        return "LbChannels" + names();
    }

    private record Contents(Map<String, LbChannel> channels, Set<String> connectOnStartup) {
    }
}
