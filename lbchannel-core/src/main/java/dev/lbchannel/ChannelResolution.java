package dev.lbchannel;

import dev.lbchannel.channelz.ResolutionStats;
import dev.lbchannel.resolver.Resolver;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * What the channel's resolvers have reported, kept across idle periods and target changes so that
 * a snapshot can show it. Written on the serializer; read from any thread, hence volatile fields
 * (a snapshot may mix two neighbouring reports, which is good enough for channelz).
 */
final class ChannelResolution {

    private volatile @Nullable Resolver current;
    private volatile @Nullable Instant lastUpdate;
    private volatile int endpoints = -1;
    private volatile long updates;
    private volatile long errors;
    private volatile @Nullable String lastError;
    private volatile @Nullable Instant lastErrorTime;

    /** {@code resolver} is the one reporting from now on (its details show in snapshots). */
    void resolverStarted(Resolver resolver) {
        current = resolver;
    }

    void resolved(int endpointCount) {
        lastUpdate = Instant.now();
        endpoints = endpointCount;
        updates++;
    }

    void failed(Status error) {
        lastErrorTime = Instant.now();
        lastError = error.getCode() + (error.getDescription() == null ? "" : ": " + error.getDescription());
        errors++;
    }

    ResolutionStats snapshot() {
        Resolver resolver = current;
        Map<String, Object> details = Map.of();
        if (resolver != null) {
            try {
                details = resolver.details();
            } catch (RuntimeException e) {
                // A plug-in's bug must not break channelz for the whole channel: show it instead.
                details = Map.of("detailsFailed", e.getClass().getName());
            }
        }
        return new ResolutionStats(lastUpdate, endpoints, updates, errors, lastError, lastErrorTime, details);
    }
}
