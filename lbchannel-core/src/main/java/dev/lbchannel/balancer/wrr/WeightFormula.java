package dev.lbchannel.balancer.wrr;

import dev.lbchannel.orca.OrcaLoadReport;

import java.util.List;
import java.util.Map;

/**
 * Turns a load report into an endpoint weight, as gRFC A58 says:
 * {@code qps / (utilization + eps / qps * errorUtilizationPenalty)}, where the utilization is,
 * after A114, the largest positive value among the configured metric names, else
 * {@code application_utilization} when positive, else {@code cpu_utilization}. A report without
 * a positive qps and utilization gives 0, meaning "no weight". Immutable and thread-safe: it runs
 * on event loops as calls end.
 */
final class WeightFormula {

    static final WeightFormula DEFAULT = of(WeightedRoundRobinConfig.DEFAULT);

    /** A114's fields; a name of another field never matches. */
    private enum Field { APPLICATION, CPU, MEM, NAMED, UTILIZATION, UNSUPPORTED }

    /** One parsed metric name: a field, and the key for the two map fields. */
    private record Metric(Field field, String key) {

        static Metric parse(String name) {
            int dot = name.indexOf('.');
            if (dot < 0) {
                return new Metric(switch (name) {
                    case "application_utilization" -> Field.APPLICATION;
                    case "cpu_utilization" -> Field.CPU;
                    case "mem_utilization" -> Field.MEM;
                    default -> Field.UNSUPPORTED;
                }, "");
            }
            // The first dot splits: "named_metrics.a.b" is key "a.b" (A114).
            String map = name.substring(0, dot);
            Field field = map.equals("named_metrics") ? Field.NAMED
                    : map.equals("utilization") ? Field.UTILIZATION : Field.UNSUPPORTED;
            return new Metric(field, name.substring(dot + 1));
        }

        /** The value in {@code report}, or NaN when it has none. */
        double in(OrcaLoadReport report) {
            return switch (field) {
                case APPLICATION -> report.applicationUtilization();
                case CPU -> report.cpuUtilization();
                case MEM -> report.memUtilization();
                case NAMED -> valueOf(report.namedMetrics());
                case UTILIZATION -> valueOf(report.utilization());
                case UNSUPPORTED -> Double.NaN;
            };
        }

        private double valueOf(Map<String, Double> map) {
            Double value = map.get(key);
            return value == null ? Double.NaN : value;
        }
    }

    private final float errorUtilizationPenalty;
    private final Metric[] metrics;

    private WeightFormula(float errorUtilizationPenalty, Metric[] metrics) {
        this.errorUtilizationPenalty = errorUtilizationPenalty;
        this.metrics = metrics;
    }

    static WeightFormula of(WeightedRoundRobinConfig config) {
        List<String> names = config.metricNamesForComputingUtilization();
        return new WeightFormula(config.errorUtilizationPenalty(),
                names.stream().map(Metric::parse).toArray(Metric[]::new));
    }

    /** The weight {@code report} gives; 0 when it gives none. */
    double weight(OrcaLoadReport report) {
        double qps = report.qps();
        double utilization = utilization(report);
        if (!(qps > 0) || !(utilization > 0) || Double.isInfinite(qps)) {
            return 0;
        }
        double eps = report.eps();
        if (eps > 0 && errorUtilizationPenalty > 0) {
            utilization += eps / qps * errorUtilizationPenalty;
        }
        double weight = qps / utilization;
        return weight > 0 && !Double.isInfinite(weight) ? weight : 0;
    }

    private double utilization(OrcaLoadReport report) {
        double largest = 0;
        for (Metric metric : metrics) {
            double value = metric.in(report);
            if (value > largest && !Double.isInfinite(value)) {   // NaN, 0 and negatives count as missing (A114)
                largest = value;
            }
        }
        if (largest > 0) {
            return largest;
        }
        double application = report.applicationUtilization();
        return application > 0 ? application : report.cpuUtilization();
    }
}
