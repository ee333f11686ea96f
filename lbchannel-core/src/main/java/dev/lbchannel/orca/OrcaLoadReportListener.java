package dev.lbchannel.orca;

/**
 * Hears the load reports (gRFC A51) of one backend. Where it is called depends on how it was
 * registered: a per-call one ({@link OrcaPerCallReports}) on the transport's event loop as each
 * call ends, concurrently for many calls, so it must be thread-safe, quick and must not block; an
 * out-of-band one ({@link dev.lbchannel.balancer.BalancerHelper#watchOrcaReports}) on the channel's
 * serializer. It must not throw.
 */
@FunctionalInterface
public interface OrcaLoadReportListener {

    void onLoadReport(OrcaLoadReport report);
}
