package dev.lbchannel.balancer.outlier;

import dev.lbchannel.balancer.BalancerProvider;
import org.jspecify.annotations.Nullable;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The parsed {@code outlier_detection} block (gRFC A50): the detection interval, the ejection
 * time rules, the cap on ejections, the two algorithms (either may be absent; with neither the
 * policy only passes through to its child) and the child policy. Immutable.
 *
 * @param interval             time between ejection sweeps; greater than zero
 * @param baseEjectionTime     an ejection lasts this times the endpoint's ejection count
 * @param maxEjectionTime      but never longer than this or {@code baseEjectionTime}, whichever is larger
 * @param maxEjectionPercent   at most this share of the endpoints is ejected, yet always one may be
 * @param childPolicy          the child's provider, chosen from {@code childPolicy}
 * @param childConfig          what {@code childPolicy} parsed from its block
 */
public record OutlierDetectionConfig(Duration interval, Duration baseEjectionTime, Duration maxEjectionTime,
        int maxEjectionPercent, @Nullable SuccessRateEjection successRateEjection,
        @Nullable FailurePercentageEjection failurePercentageEjection, BalancerProvider childPolicy,
        Object childConfig) {

    public OutlierDetectionConfig {
        requireNonNull(interval, "interval");
        requireNonNull(baseEjectionTime, "baseEjectionTime");
        requireNonNull(maxEjectionTime, "maxEjectionTime");
        requireNonNull(childPolicy, "childPolicy");
        requireNonNull(childConfig, "childConfig");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be greater than 0s, was " + interval);
        }
    }

    /** Whether any algorithm is on; with none, calls are not counted and nothing is ejected (A50). */
    public boolean detects() {
        return successRateEjection != null || failurePercentageEjection != null;
    }

    /** How long an endpoint ejected {@code multiplier} times stays out: A50's capped product. */
    long ejectionNanos(int multiplier) {
        long base = baseEjectionTime.toNanos();
        long cap = Math.max(base, maxEjectionTime.toNanos());
        if (multiplier > 0 && base > cap / multiplier) {
            return cap; // the product would pass the cap (or overflow)
        }
        return Math.min(base * multiplier, cap);
    }

    /**
     * Ejects endpoints whose success rate is below the mean by more than
     * {@code stdevFactor / 1000} standard deviations.
     *
     * @param minimumHosts  the algorithm runs only when this many endpoints had enough calls
     * @param requestVolume calls an endpoint needs in one interval to count
     */
    public record SuccessRateEjection(int stdevFactor, int enforcementPercentage, int minimumHosts,
            int requestVolume) {

        /** A50's defaults: 1900, 100, 5, 100. */
        public static final SuccessRateEjection DEFAULTS = new SuccessRateEjection(1900, 100, 5, 100);
    }

    /**
     * Ejects endpoints whose failure percentage is above {@code threshold}.
     *
     * @param minimumHosts  the algorithm runs only when this many endpoints had enough calls
     * @param requestVolume calls an endpoint needs in one interval to count
     */
    public record FailurePercentageEjection(int threshold, int enforcementPercentage, int minimumHosts,
            int requestVolume) {

        /** A50's defaults: 85, 100, 5, 50. */
        public static final FailurePercentageEjection DEFAULTS = new FailurePercentageEjection(85, 100, 5, 50);
    }
}
