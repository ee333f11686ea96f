package dev.lbchannel.channelz;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts a channel's outlier ejections and remembers which subchannels are ejected now.
 * Thread-safe; written by the policy once per detection interval, never on a call's path.
 */
public final class EjectionCounter {

    // Atomic arrays, not adders: written once per detection interval, so never contended, and a
    // channel without outlier detection keeps two small arrays instead of six adders (issue 18).
    private final AtomicLongArray enforced = new AtomicLongArray(DetectionMethod.values().length);
    private final AtomicLongArray unenforced =
            new AtomicLongArray(DetectionMethod.values().length * UnenforcedReason.values().length);
    private final Set<Long> ejected = ConcurrentHashMap.newKeySet();

    public void enforced(DetectionMethod method) {
        enforced.incrementAndGet(method.ordinal());
    }

    public void unenforced(DetectionMethod method, UnenforcedReason reason) {
        unenforced.incrementAndGet(EjectionStats.index(method, reason));
    }

    /** Marks the subchannel with channelz id {@code subchannelId} as ejected or back in service. */
    public void ejected(long subchannelId, boolean isEjected) {
        if (isEjected) {
            ejected.add(subchannelId);
        } else {
            ejected.remove(subchannelId);
        }
    }

    public EjectionStats snapshot() {
        return new EjectionStats(sums(enforced), sums(unenforced), ejected);
    }

    private static long[] sums(AtomicLongArray counts) {
        long[] sums = new long[counts.length()];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = counts.get(i);
        }
        return sums;
    }
}
