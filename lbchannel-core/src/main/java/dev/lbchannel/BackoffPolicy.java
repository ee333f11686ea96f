package dev.lbchannel;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How long to wait between connection attempts, as gRPC's connection-backoff doc says: start at
 * {@code initial}, multiply by {@code multiplier} after each failure up to {@code max}, spread
 * each wait by ±{@code jitter}; give each attempt at least {@code minConnectTimeout}.
 */
public record BackoffPolicy(Duration initial, double multiplier, double jitter, Duration max,
        Duration minConnectTimeout) {

    /** gRPC's values: 1 s, ×1.6, ±20 %, at most 120 s, attempts of at least 20 s. */
    public static final BackoffPolicy DEFAULT = new BackoffPolicy(Duration.ofSeconds(1), 1.6, 0.2,
            Duration.ofSeconds(120), Duration.ofSeconds(20));

    public BackoffPolicy {
        requireNonNull(initial, "initial");
        requireNonNull(max, "max");
        requireNonNull(minConnectTimeout, "minConnectTimeout");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Backoff needs 0 < initial <= max, was initial=" + initial + " max=" + max);
        }
        if (multiplier < 1.0 || jitter < 0 || jitter >= 1.0) {
            throw new IllegalArgumentException("Backoff needs multiplier >= 1 and 0 <= jitter < 1, was "
                    + multiplier + " and " + jitter);
        }
        if (minConnectTimeout.isNegative() || minConnectTimeout.isZero()) {
            throw new IllegalArgumentException("minConnectTimeout must be positive, was " + minConnectTimeout);
        }
    }
}
