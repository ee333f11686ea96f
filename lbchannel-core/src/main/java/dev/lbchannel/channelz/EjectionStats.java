package dev.lbchannel.channelz;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What outlier detection (gRFC A50) did on a channel, at one moment: the subchannels ejected now
 * and the ejections enforced and left unenforced so far, by detection method and reason (the
 * counts behind gRFC A91's meters). Immutable.
 */
public final class EjectionStats {

    /** A channel whose policy never ejected anything. */
    public static final EjectionStats NONE = new EjectionStats(new long[DetectionMethod.values().length],
            new long[DetectionMethod.values().length * UnenforcedReason.values().length], Set.of());

    private final long[] enforced;
    private final long[] unenforced;
    private final Set<Long> ejectedSubchannels;

    EjectionStats(long[] enforced, long[] unenforced, Set<Long> ejectedSubchannels) {
        this.enforced = enforced;
        this.unenforced = unenforced;
        this.ejectedSubchannels = Set.copyOf(ejectedSubchannels);
    }

    /** Ejections {@code method} found and enforced. */
    public long enforced(DetectionMethod method) {
        return enforced[requireNonNull(method, "method").ordinal()];
    }

    /** Outliers {@code method} found but did not eject, for {@code reason}. */
    public long unenforced(DetectionMethod method, UnenforcedReason reason) {
        return unenforced[index(method, reason)];
    }

    /** Ejections enforced, by either method. */
    public long enforcedTotal() {
        long total = 0;
        for (long count : enforced) {
            total += count;
        }
        return total;
    }

    /** The channelz ids of the subchannels ejected now. */
    public Set<Long> ejectedSubchannels() {
        return ejectedSubchannels;
    }

    static int index(DetectionMethod method, UnenforcedReason reason) {
        return requireNonNull(method, "method").ordinal() * UnenforcedReason.values().length
                + requireNonNull(reason, "reason").ordinal();
    }

    @Override
    public String toString() {
        return "EjectionStats{enforced=" + enforcedTotal() + ", ejected=" + ejectedSubchannels + "}";
    }
}
