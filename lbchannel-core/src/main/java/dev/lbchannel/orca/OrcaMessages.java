package dev.lbchannel.orca;

import dev.lbchannel.protowire.WireReader;
import dev.lbchannel.protowire.WireWriter;

import java.time.Duration;
import java.util.Map;

/**
 * The protobuf wire form of ORCA's messages (gRFC A51), by hand:
 * {@code xds.data.orca.v3.OrcaLoadReport} and {@code xds.service.orca.v3.OrcaLoadReportRequest}.
 * Keeps protobuf-java out of core's runtime dependencies; proven against the generated messages
 * of grpc-java's {@code grpc-xds} in tests. Stateless.
 */
public final class OrcaMessages {

    private static final int CPU_UTILIZATION = 1;
    private static final int MEM_UTILIZATION = 2;
    private static final int REQUEST_COST = 4;
    private static final int UTILIZATION = 5;
    private static final int RPS_FRACTIONAL = 6;
    private static final int EPS = 7;
    private static final int NAMED_METRICS = 8;
    private static final int APPLICATION_UTILIZATION = 9;
    private static final int MAP_KEY = 1;
    private static final int MAP_VALUE = 2;
    private static final int REPORT_INTERVAL = 1;
    private static final int DURATION_SECONDS = 1;
    private static final int DURATION_NANOS = 2;

    private OrcaMessages() {
    }

    /**
     * Reads an {@code OrcaLoadReport}. Unknown fields (and the deprecated integer {@code rps}) are
     * skipped; of a field sent twice the last wins, as protobuf parsers do.
     *
     * @throws IllegalArgumentException when the bytes are not a valid message
     */
    public static OrcaLoadReport parseReport(byte[] message) {
        WireReader in = new WireReader(message, "ORCA load report");
        OrcaLoadReport.Builder report = OrcaLoadReport.builder();
        while (in.hasMore()) {
            int field = in.nextField();
            int type = in.wireType();
            if (type == WireReader.FIXED64) {
                switch (field) {
                    case CPU_UTILIZATION -> report.cpuUtilization(in.fixed64Double());
                    case MEM_UTILIZATION -> report.memUtilization(in.fixed64Double());
                    case RPS_FRACTIONAL -> report.qps(in.fixed64Double());
                    case EPS -> report.eps(in.fixed64Double());
                    case APPLICATION_UTILIZATION -> report.applicationUtilization(in.fixed64Double());
                    default -> in.skip();
                }
            } else if (type == WireReader.LENGTH_DELIMITED && isMap(field)) {
                readEntry(in.nested(), field, report);
            } else {
                in.skip();
            }
        }
        return report.build();
    }

    private static boolean isMap(int field) {
        return field == REQUEST_COST || field == UTILIZATION || field == NAMED_METRICS;
    }

    /** One map entry; a missing key or value is the empty string or 0, as protobuf's maps read them. */
    private static void readEntry(WireReader entry, int field, OrcaLoadReport.Builder report) {
        String key = "";
        double value = 0;
        while (entry.hasMore()) {
            int part = entry.nextField();
            if (part == MAP_KEY && entry.wireType() == WireReader.LENGTH_DELIMITED) {
                key = entry.string();
            } else if (part == MAP_VALUE && entry.wireType() == WireReader.FIXED64) {
                value = entry.fixed64Double();
            } else {
                entry.skip();
            }
        }
        switch (field) {
            case REQUEST_COST -> report.requestCost(key, value);
            case UTILIZATION -> report.utilization(key, value);
            default -> report.namedMetric(key, value);
        }
    }

    /**
     * Writes an {@code OrcaLoadReport}, leaving out numbers at 0 as proto3 does; for a backend or
     * a test of one's own.
     */
    public static byte[] encodeReport(OrcaLoadReport report) {
        WireWriter out = new WireWriter();
        doubleField(out, CPU_UTILIZATION, report.cpuUtilization());
        doubleField(out, MEM_UTILIZATION, report.memUtilization());
        mapField(out, REQUEST_COST, report.requestCost());
        mapField(out, UTILIZATION, report.utilization());
        doubleField(out, RPS_FRACTIONAL, report.qps());
        doubleField(out, EPS, report.eps());
        mapField(out, NAMED_METRICS, report.namedMetrics());
        doubleField(out, APPLICATION_UTILIZATION, report.applicationUtilization());
        return out.toByteArray();
    }

    /**
     * An {@code OrcaLoadReportRequest} asking for a report every {@code interval}, with no request
     * cost names (A51's out-of-band stream does not use them).
     */
    public static byte[] request(Duration interval) {
        WireWriter duration = new WireWriter();
        if (interval.getSeconds() != 0) {
            duration.varintField(DURATION_SECONDS, interval.getSeconds());
        }
        if (interval.getNano() != 0) {
            duration.varintField(DURATION_NANOS, interval.getNano());
        }
        return new WireWriter().bytesField(REPORT_INTERVAL, duration.toByteArray()).toByteArray();
    }

    private static void doubleField(WireWriter out, int field, double value) {
        if (Double.doubleToRawLongBits(value) != 0) {   // -0.0 is not the default, as in protobuf
            out.doubleField(field, value);
        }
    }

    private static void mapField(WireWriter out, int field, Map<String, Double> map) {
        for (Map.Entry<String, Double> e : map.entrySet()) {
            // Both parts always, as protobuf-java writes map entries.
            WireWriter entry = new WireWriter().stringField(MAP_KEY, e.getKey()).doubleField(MAP_VALUE, e.getValue());
            out.bytesField(field, entry.toByteArray());
        }
    }
}
