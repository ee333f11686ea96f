package dev.lbchannel.balancer.wrr;

import dev.lbchannel.balancer.slowstart.SlowStartConfig;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The parsed {@code weighted_round_robin} block (gRFC A58, A114). Immutable.
 *
 * @param blackoutPeriod how long an endpoint must report load continuously before its weight is
 *     used (after it connects, or after its weight expired); zero turns the blackout off
 * @param weightExpirationPeriod how long after its last report an endpoint's weight stops being used
 * @param weightUpdatePeriod how often the weights are read into a new scheduler; at least 100 ms
 * @param errorUtilizationPenalty how much the error rate ({@code eps / qps}) adds to the utilization; 0 or more
 * @param enableOobLoadReport whether reports come out of band, on a stream per backend, instead of
 *     in each call's trailers
 * @param oobReportingPeriod the report interval asked of each backend out of band
 * @param metricNamesForComputingUtilization A114: the report fields whose largest (positive) value
 *     is the utilization, such as {@code cpu_utilization} or {@code named_metrics.queue}; empty for
 *     A58's {@code application_utilization}, else {@code cpu_utilization}
 * @param slowStart ours: the ramp, which multiplies the weight of an endpoint that becomes READY
 *     once the policy is warm, or {@code null} for none
 */
public record WeightedRoundRobinConfig(Duration blackoutPeriod, Duration weightExpirationPeriod,
        Duration weightUpdatePeriod, float errorUtilizationPenalty, boolean enableOobLoadReport,
        Duration oobReportingPeriod, List<String> metricNamesForComputingUtilization,
        @Nullable SlowStartConfig slowStart) {

    /** The shortest {@code weightUpdatePeriod}; a shorter one is taken as this (A58). */
    public static final Duration MIN_WEIGHT_UPDATE_PERIOD = Duration.ofMillis(100);

    /** A58's defaults: 10 s blackout, 3 min expiry, 1 s updates, penalty 1.0, per-call reports. */
    public static final WeightedRoundRobinConfig DEFAULT = new WeightedRoundRobinConfig(Duration.ofSeconds(10),
            Duration.ofMinutes(3), Duration.ofSeconds(1), 1.0f, false, Duration.ofSeconds(10), List.of());

    /** A58's block, without slow start. */
    public WeightedRoundRobinConfig(Duration blackoutPeriod, Duration weightExpirationPeriod,
            Duration weightUpdatePeriod, float errorUtilizationPenalty, boolean enableOobLoadReport,
            Duration oobReportingPeriod, List<String> metricNamesForComputingUtilization) {
        this(blackoutPeriod, weightExpirationPeriod, weightUpdatePeriod, errorUtilizationPenalty,
                enableOobLoadReport, oobReportingPeriod, metricNamesForComputingUtilization, null);
    }

    public WeightedRoundRobinConfig {
        requireNonNull(blackoutPeriod, "blackoutPeriod");
        requireNonNull(weightExpirationPeriod, "weightExpirationPeriod");
        requireNonNull(weightUpdatePeriod, "weightUpdatePeriod");
        requireNonNull(oobReportingPeriod, "oobReportingPeriod");
        metricNamesForComputingUtilization = List.copyOf(metricNamesForComputingUtilization);
        if (weightUpdatePeriod.compareTo(MIN_WEIGHT_UPDATE_PERIOD) < 0) {
            weightUpdatePeriod = MIN_WEIGHT_UPDATE_PERIOD;
        }
        if (!(errorUtilizationPenalty >= 0)) {   // also rejects NaN
            throw new IllegalArgumentException("errorUtilizationPenalty must be 0 or more, was "
                    + errorUtilizationPenalty);
        }
        for (Duration d : List.of(blackoutPeriod, weightExpirationPeriod, oobReportingPeriod)) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("Periods must not be negative, was " + d);
            }
        }
    }
}
