package dev.lbchannel.orca;

import dev.lbchannel.balancer.CallOutcomeListener;
import dev.lbchannel.balancer.PickResult;
import io.grpc.Metadata;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import static java.util.Objects.requireNonNull;

/**
 * Per-call load reports (gRFC A51): a backend that records its load puts an
 * {@code OrcaLoadReport} in each call's {@code endpoint-load-metrics-bin} trailer. A policy that
 * wants them attaches a listener made here to the {@link PickResult} it returns for a subchannel,
 * made once per subchannel like any result, so a pick allocates nothing:
 * <pre>{@code
 * PickResult result = PickResult.withSubchannel(subchannel,
 *         OrcaPerCallReports.listener(report -> weights.update(report)));
 * }</pre>
 * For each call the pick places, the listener hears the report in its trailers as the call ends,
 * on the transport's event loop; a call without one (or with one that does not parse) is not
 * reported. Calls of other results read no trailer and pay nothing. Stateless.
 */
public final class OrcaPerCallReports {

    /** The trailer a backend sends its per-call report in (A51). */
    public static final Metadata.Key<byte[]> TRAILER =
            Metadata.Key.of("endpoint-load-metrics-bin", Metadata.BINARY_BYTE_MARSHALLER);

    private OrcaPerCallReports() {
    }

    /** A call-outcome listener that passes each call's load report to {@code reports}. */
    public static CallOutcomeListener listener(OrcaLoadReportListener reports) {
        requireNonNull(reports, "reports");
        return new CallOutcomeListener() {
            @Override
            public void onCallEnded(Status status) {
            }

            @Override
            public void onCallEnded(Status status, Metadata trailers) {
                report(trailers, reports);
            }
        };
    }

    /**
     * A call-outcome listener that tells {@code outcomes} of each call's start and end, as the
     * channel would, and passes its load report to {@code reports}: for a policy that both counts
     * calls and weighs backends.
     */
    public static CallOutcomeListener listener(CallOutcomeListener outcomes, OrcaLoadReportListener reports) {
        requireNonNull(outcomes, "outcomes");
        requireNonNull(reports, "reports");
        return new CallOutcomeListener() {
            @Override
            public void onCallStarted() {
                outcomes.onCallStarted();
            }

            @Override
            public void onCallEnded(Status status) {
                outcomes.onCallEnded(status);
            }

            @Override
            public boolean wantsDuration() {
                return outcomes.wantsDuration();
            }

            @Override
            public void onCallEnded(Status status, Metadata trailers) {
                onCallEnded(status, trailers, 0);
            }

            @Override
            public void onCallEnded(Status status, Metadata trailers, long durationNanos) {
                try {
                    report(trailers, reports);
                } finally {
                    outcomes.onCallEnded(status, trailers, durationNanos);
                }
            }
        };
    }

    /**
     * The load report in {@code trailers}, or {@code null} when there is none or it does not parse
     * (A51: a client ignores a report it cannot read).
     */
    public static @Nullable OrcaLoadReport fromTrailers(Metadata trailers) {
        byte[] bytes = trailers.get(TRAILER);
        if (bytes == null) {
            return null;
        }
        try {
            return OrcaMessages.parseReport(bytes);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void report(Metadata trailers, OrcaLoadReportListener reports) {
        OrcaLoadReport report = fromTrailers(trailers);
        if (report != null) {
            reports.onLoadReport(report);
        }
    }
}
