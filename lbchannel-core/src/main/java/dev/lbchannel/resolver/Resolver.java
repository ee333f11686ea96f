package dev.lbchannel.resolver;

import java.util.Map;

/**
 * Watches one target name and reports what it resolves to. Created by a
 * {@link ResolverProvider}; the channel calls it from its serializer, one call at a time.
 * Blocking work (a DNS query) must run elsewhere and report through the listener.
 */
public interface Resolver {

    /** Starts resolving; results and errors go to {@code listener}. Called once. */
    void start(ResolverListener listener);

    /**
     * Asks for a fresh resolution, for example because a connection failed. A resolver may
     * rate-limit these; a resolver that pushes updates may ignore it.
     */
    default void refresh() {
    }

    /** Stops resolving; the listener hears nothing after this returns. */
    void shutdown();

    /**
     * A few short values that channelz shows about this resolver's own progress, beside what the
     * channel records of its results (for a registry watch: the revision it has seen, whether the
     * watch is connected, when it last relisted). Called from any thread whenever a snapshot is
     * taken, so it must be thread-safe and quick; it must never hold a secret or a metadata value.
     * The default shows nothing.
     */
    default Map<String, Object> details() {
        return Map.of();
    }
}
