package dev.lbchannel.balancer.outlier;

import dev.lbchannel.balancer.EjectionReporter;
import dev.lbchannel.balancer.outlier.OutlierDetectionConfig.FailurePercentageEjection;
import dev.lbchannel.balancer.outlier.OutlierDetectionConfig.SuccessRateEjection;
import dev.lbchannel.channelz.DetectionMethod;
import dev.lbchannel.channelz.UnenforcedReason;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * One run of gRFC A50's detection timer over every tracked endpoint: close the interval, run the
 * success-rate and failure-percentage algorithms, then forgive endpoints in service and return
 * those whose ejection time is up. Never ejects more than {@code maxEjectionPercent} of the
 * endpoints, except that one may always be ejected (A50, as Envoy). Outliers left in service
 * are reported with their reason (gRFC A91). Runs on the serializer; stateless between runs.
 */
final class EjectionSweep {

    private final OutlierDetectionConfig config;
    private final Collection<EndpointTracker> trackers;
    private final IntSupplier percentRoll;
    private final EjectionReporter reporter;
    private final long nowNanos;

    /**
     * @param percentRoll a random whole number in [0, 100) per detected outlier, for the
     *     enforcement percentages
     */
    EjectionSweep(OutlierDetectionConfig config, Collection<EndpointTracker> trackers, IntSupplier percentRoll,
            EjectionReporter reporter, long nowNanos) {
        this.config = config;
        this.trackers = trackers;
        this.percentRoll = percentRoll;
        this.reporter = reporter;
        this.nowNanos = nowNanos;
    }

    void run() {
        for (EndpointTracker tracker : trackers) {
            tracker.outcomes.swap();
        }
        if (config.successRateEjection() != null) {
            successRate(config.successRateEjection());
        }
        if (config.failurePercentageEjection() != null) {
            failurePercentage(config.failurePercentageEjection());
        }
        for (EndpointTracker tracker : trackers) {
            if (!tracker.isEjected()) {
                tracker.forgiveOnce();
            } else if (nowNanos - (tracker.ejectedAtNanos() + config.ejectionNanos(tracker.multiplier())) > 0) {
                tracker.uneject();
            }
        }
    }

    private void successRate(SuccessRateEjection rule) {
        List<EndpointTracker> counted = withVolume(rule.requestVolume());
        if (counted.isEmpty() || counted.size() < rule.minimumHosts()) {
            return;
        }
        double mean = 0;
        for (EndpointTracker tracker : counted) {
            mean += tracker.successRate();
        }
        mean /= counted.size();
        double variance = 0;
        for (EndpointTracker tracker : counted) {
            double difference = tracker.successRate() - mean;
            variance += difference * difference;
        }
        double stdev = Math.sqrt(variance / counted.size());
        double required = mean - stdev * (rule.stdevFactor() / 1000.0);
        for (EndpointTracker tracker : counted) {
            if (tracker.successRate() < required) {
                outlier(tracker, DetectionMethod.SUCCESS_RATE, rule.enforcementPercentage());
            }
        }
    }

    private void failurePercentage(FailurePercentageEjection rule) {
        List<EndpointTracker> counted = withVolume(rule.requestVolume());
        if (counted.isEmpty() || counted.size() < rule.minimumHosts()) {
            return;
        }
        for (EndpointTracker tracker : counted) {
            if (tracker.failedMoreThan(rule.threshold())) {
                outlier(tracker, DetectionMethod.FAILURE_PERCENTAGE, rule.enforcementPercentage());
            }
        }
    }

    /** A detected outlier: ejected unless the cap is reached or the roll says no. */
    private void outlier(EndpointTracker tracker, DetectionMethod method, int enforcementPercentage) {
        if (tracker.isEjected()) {
            return; // the other algorithm got it first this sweep
        }
        if (capReached()) {
            reporter.ejectionUnenforced(method, UnenforcedReason.MAX_EJECTION_OVERFLOW);
        } else if (percentRoll.getAsInt() < enforcementPercentage) {
            tracker.eject(nowNanos);
            reporter.ejectionEnforced(method);
        } else {
            reporter.ejectionUnenforced(method, UnenforcedReason.ENFORCEMENT_PERCENTAGE);
        }
    }

    /** A50: no more ejections once the ejected share is at least {@code maxEjectionPercent}. */
    private boolean capReached() {
        int ejected = 0;
        for (EndpointTracker tracker : trackers) {
            if (tracker.isEjected()) {
                ejected++;
            }
        }
        return (long) ejected * 100 >= (long) config.maxEjectionPercent() * trackers.size();
    }

    private List<EndpointTracker> withVolume(int requestVolume) {
        List<EndpointTracker> counted = new ArrayList<>();
        for (EndpointTracker tracker : trackers) {
            if (tracker.outcomes.volume() >= requestVolume) {
                counted.add(tracker);
            }
        }
        return counted;
    }
}
