package dev.lbchannel.balancer.outlier;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What outlier detection knows of one endpoint (gRFC A50's map entry): its call counter, whether
 * and since when it is ejected, its ejection time multiplier, and the subchannels the child made
 * for it. Runs on the serializer, except {@link #outcomes}, which calls write from any thread.
 */
final class EndpointTracker {

    final CallOutcomes outcomes = new CallOutcomes();
    private final Set<OutlierSubchannel> subchannels = new LinkedHashSet<>();
    private boolean ejected;
    private long ejectedAtNanos;
    private int multiplier;
    /** The last update that listed its endpoint; the balancer's bookkeeping. */
    int listedIn;
    /** How many endpoints of the current list have its key (a list may repeat one). */
    int listings = 1;

    boolean isEjected() {
        return ejected;
    }

    int multiplier() {
        return multiplier;
    }

    long ejectedAtNanos() {
        return ejectedAtNanos;
    }

    void add(OutlierSubchannel subchannel) {
        subchannels.add(subchannel);
    }

    void remove(OutlierSubchannel subchannel) {
        subchannels.remove(subchannel);
    }

    /** A copy of the subchannels following it, to retrack when it goes. */
    List<OutlierSubchannel> subchannels() {
        return List.copyOf(subchannels);
    }

    /** Ejects the endpoint as of the sweep at {@code sweepNanos}: each ejection lasts longer (A50). */
    void eject(long sweepNanos) {
        ejected = true;
        ejectedAtNanos = sweepNanos;
        multiplier++;
        for (OutlierSubchannel subchannel : List.copyOf(subchannels)) {
            subchannel.eject();
        }
    }

    void uneject() {
        ejected = false;
        for (OutlierSubchannel subchannel : List.copyOf(subchannels)) {
            subchannel.uneject();
        }
    }

    /** A sweep found it in service: the next ejection will be shorter again, down to none. */
    void forgiveOnce() {
        if (multiplier > 0) {
            multiplier--;
        }
    }

    void resetMultiplier() {
        multiplier = 0;
    }

    /** The last interval's success fraction; 1 without calls, which prove nothing against it. */
    double successRate() {
        long volume = outcomes.volume();
        return volume == 0 ? 1.0 : (double) outcomes.successes() / volume;
    }

    /** Whether more than {@code threshold} percent of the last interval's calls failed. */
    boolean failedMoreThan(int threshold) {
        return outcomes.failures() * 100 > (long) threshold * outcomes.volume();
    }

    @Override
    public String toString() {
        return "EndpointTracker{" + subchannels + (ejected ? " ejected" : "") + " x" + multiplier + "}";
    }
}
