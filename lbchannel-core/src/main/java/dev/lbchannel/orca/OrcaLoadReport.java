package dev.lbchannel.orca;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One load report a backend sent, as gRFC A51's {@code xds.data.orca.v3.OrcaLoadReport}: its
 * utilizations, its rate of queries and errors, and its named metrics. A number the backend did
 * not send is 0, as proto3 cannot tell the two apart. Immutable and thread-safe; the maps are
 * unmodifiable.
 */
public final class OrcaLoadReport {

    /** A report with nothing in it. */
    public static final OrcaLoadReport EMPTY = builder().build();

    private final double cpuUtilization;
    private final double memUtilization;
    private final double applicationUtilization;
    private final double qps;
    private final double eps;
    private final Map<String, Double> requestCost;
    private final Map<String, Double> utilization;
    private final Map<String, Double> namedMetrics;

    private OrcaLoadReport(Builder b) {
        cpuUtilization = b.cpuUtilization;
        memUtilization = b.memUtilization;
        applicationUtilization = b.applicationUtilization;
        qps = b.qps;
        eps = b.eps;
        requestCost = Map.copyOf(b.requestCost);
        utilization = Map.copyOf(b.utilization);
        namedMetrics = Map.copyOf(b.namedMetrics);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code cpu_utilization}: CPU use, usually from 0 to 1 but may exceed 1 (A51). */
    public double cpuUtilization() {
        return cpuUtilization;
    }

    /** {@code mem_utilization}: memory use from 0 to 1. */
    public double memUtilization() {
        return memUtilization;
    }

    /** {@code application_utilization}: the application's own measure of how busy it is (A114). */
    public double applicationUtilization() {
        return applicationUtilization;
    }

    /** {@code rps_fractional}: queries per second the backend served. */
    public double qps() {
        return qps;
    }

    /** {@code eps}: errors per second the backend returned. */
    public double eps() {
        return eps;
    }

    /** {@code request_cost}: what this one call cost, by name; per-call reports only. */
    public Map<String, Double> requestCost() {
        return requestCost;
    }

    /** {@code utilization}: named utilizations from 0 to 1. */
    public Map<String, Double> utilization() {
        return utilization;
    }

    /** {@code named_metrics}: other named numbers the backend reports. */
    public Map<String, Double> namedMetrics() {
        return namedMetrics;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrcaLoadReport r && Double.compare(cpuUtilization, r.cpuUtilization) == 0
                && Double.compare(memUtilization, r.memUtilization) == 0
                && Double.compare(applicationUtilization, r.applicationUtilization) == 0
                && Double.compare(qps, r.qps) == 0 && Double.compare(eps, r.eps) == 0
                && requestCost.equals(r.requestCost) && utilization.equals(r.utilization)
                && namedMetrics.equals(r.namedMetrics);
    }

    @Override
    public int hashCode() {
        int h = Double.hashCode(cpuUtilization);
        h = 31 * h + Double.hashCode(memUtilization);
        h = 31 * h + Double.hashCode(applicationUtilization);
        h = 31 * h + Double.hashCode(qps);
        h = 31 * h + Double.hashCode(eps);
        return 31 * (31 * (31 * h + requestCost.hashCode()) + utilization.hashCode()) + namedMetrics.hashCode();
    }

    @Override
    public String toString() {
        return "OrcaLoadReport{cpu=" + cpuUtilization + ", mem=" + memUtilization + ", application="
                + applicationUtilization + ", qps=" + qps + ", eps=" + eps
                + (requestCost.isEmpty() ? "" : ", requestCost=" + requestCost)
                + (utilization.isEmpty() ? "" : ", utilization=" + utilization)
                + (namedMetrics.isEmpty() ? "" : ", namedMetrics=" + namedMetrics) + "}";
    }

    /** Builds a report; for tests, and for the codec. Not thread-safe. */
    public static final class Builder {
        private double cpuUtilization;
        private double memUtilization;
        private double applicationUtilization;
        private double qps;
        private double eps;
        private final Map<String, Double> requestCost = new LinkedHashMap<>();
        private final Map<String, Double> utilization = new LinkedHashMap<>();
        private final Map<String, Double> namedMetrics = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder cpuUtilization(double value) {
            cpuUtilization = value;
            return this;
        }

        public Builder memUtilization(double value) {
            memUtilization = value;
            return this;
        }

        public Builder applicationUtilization(double value) {
            applicationUtilization = value;
            return this;
        }

        public Builder qps(double value) {
            qps = value;
            return this;
        }

        public Builder eps(double value) {
            eps = value;
            return this;
        }

        public Builder requestCost(String name, double value) {
            requestCost.put(requireNonNull(name, "name"), value);
            return this;
        }

        public Builder utilization(String name, double value) {
            utilization.put(requireNonNull(name, "name"), value);
            return this;
        }

        public Builder namedMetric(String name, double value) {
            namedMetrics.put(requireNonNull(name, "name"), value);
            return this;
        }

        public OrcaLoadReport build() {
            return new OrcaLoadReport(this);
        }
    }
}
