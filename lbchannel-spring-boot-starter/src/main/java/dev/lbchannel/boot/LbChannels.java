package dev.lbchannel.boot;

import dev.lbchannel.LbChannel;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The channels of an application context, by the names they have under
 * {@code lbchannel.channels.<name>}, in the order they were configured. The auto-configuration
 * creates every channel at start-up (each connects on its first call, unless it asks to connect
 * on start-up) and shuts them down with the context. Immutable and thread-safe.
 *
 * <pre>{@code
 * OrdersGrpc.OrdersBlockingStub orders = OrdersGrpc.newBlockingStub(channels.get("orders"));
 * }</pre>
 */
public final class LbChannels implements Iterable<LbChannel> {

    private final Map<String, LbChannel> channels;
    private final Set<String> connectOnStartup;

    private LbChannels(Map<String, LbChannel> channels, Set<String> connectOnStartup) {
        this.channels = channels;
        this.connectOnStartup = connectOnStartup;
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
        return new LbChannels(Collections.unmodifiableMap(copy), Set.copyOf(connectOnStartup));
    }

    /**
     * Whether channel {@code name} connects at start-up ({@code connect-on-startup: true}): health
     * then reports it out of service until it has connected once, so readiness can wait for it.
     */
    public boolean connectsOnStartup(String name) {
        return connectOnStartup.contains(name);
    }

    /**
     * The channel configured as {@code lbchannel.channels.<name>}.
     *
     * @throws IllegalArgumentException if there is none; the message lists the configured names
     */
    public LbChannel get(String name) {
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
        return Optional.ofNullable(channels.get(requireNonNull(name, "name")));
    }

    /** The configured (and enabled) channel names, in configuration order. */
    public Set<String> names() {
        return channels.keySet();
    }

    /** The channels by name, unmodifiable, in configuration order. */
    public Map<String, LbChannel> asMap() {
        return channels;
    }

    public int size() {
        return channels.size();
    }

    @Override
    public Iterator<LbChannel> iterator() {
        return channels.values().iterator();
    }

    @Override
    public String toString() {
        return "LbChannels" + channels.keySet();
    }
}
