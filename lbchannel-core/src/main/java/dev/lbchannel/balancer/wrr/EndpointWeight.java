package dev.lbchannel.balancer.wrr;

import dev.lbchannel.orca.OrcaLoadReport;
import dev.lbchannel.orca.OrcaLoadReportListener;

import java.util.function.LongSupplier;

/**
 * One endpoint's weight and gRFC A58's two timestamps: {@code lastUpdated}, the last report that
 * gave a weight, and {@code nonEmptySince}, the first of the reports since the endpoint last
 * became READY or its weight last expired. Reports arrive on event loops (per call) or the
 * serializer (out of band) and {@link #usable} runs on the serializer, so the fields are volatile;
 * a report racing a read is one report early or late, which A58 accepts.
 */
final class EndpointWeight implements OrcaLoadReportListener {

    /** What {@link #usable} found, for gRFC A78's counters. */
    enum Usability { USABLE, NOT_YET_USABLE, STALE }

    /** "Not since any report": A58's infinity. */
    private static final long NEVER = Long.MIN_VALUE;

    private final LongSupplier clock;
    private volatile WeightFormula formula = WeightFormula.DEFAULT;
    private volatile double weight;
    private volatile long lastUpdated = NEVER;
    private volatile long nonEmptySince = NEVER;
    /** The weight the last scheduler used, for channelz; 0 when it had none. Serializer only writes. */
    private volatile double inUse;

    EndpointWeight(LongSupplier clock) {
        this.clock = clock;
    }

    void formula(WeightFormula next) {
        formula = next;
    }

    /** A58's UpdateWeight: a report with no weight in it changes nothing. Any thread. */
    @Override
    public void onLoadReport(OrcaLoadReport report) {
        double next = formula.weight(report);
        if (next == 0) {
            return;
        }
        long now = clock.getAsLong();
        if (nonEmptySince == NEVER) {
            nonEmptySince = now;
        }
        lastUpdated = now;
        weight = next;
    }

    /** A58's OnSubchannelBecomesReady: the blackout starts over with the next report. */
    void becameReady() {
        nonEmptySince = NEVER;
    }

    /**
     * A58's GetWeight at {@code now}: expired weights restart the blackout; an endpoint in its
     * blackout, or without any report yet, has none. On the serializer.
     *
     * @return the usability; the weight is then {@link #inUse()}
     */
    Usability usable(long now, WeightedRoundRobinConfig config) {
        long updated = lastUpdated;
        Usability result;
        if (updated == NEVER) {
            result = Usability.NOT_YET_USABLE;
        } else if (now - updated >= config.weightExpirationPeriod().toNanos()) {
            nonEmptySince = NEVER;
            result = Usability.STALE;
        } else {
            long since = nonEmptySince;
            long blackout = config.blackoutPeriod().toNanos();
            result = blackout > 0 && (since == NEVER || now - since < blackout) ? Usability.NOT_YET_USABLE
                    : Usability.USABLE;
        }
        inUse = result == Usability.USABLE ? weight : 0;
        return result;
    }

    /** The weight the last scheduler was built with; 0 when the endpoint had none. Any thread. */
    double inUse() {
        return inUse;
    }
}
