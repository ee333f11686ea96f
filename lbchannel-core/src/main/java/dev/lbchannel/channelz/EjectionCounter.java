package dev.lbchannel.channelz;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a channel's outlier ejections and remembers which subchannels are ejected now.
 * Thread-safe; written by the policy once per detection interval, never on a call's path.
 */
public final class EjectionCounter {

    private final LongAdder[] enforced = adders(DetectionMethod.values().length);
    private final LongAdder[] unenforced = adders(DetectionMethod.values().length * UnenforcedReason.values().length);
    private final Set<Long> ejected = ConcurrentHashMap.newKeySet();

    public void enforced(DetectionMethod method) {
        enforced[method.ordinal()].increment();
    }

    public void unenforced(DetectionMethod method, UnenforcedReason reason) {
        unenforced[EjectionStats.index(method, reason)].increment();
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

    private static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    private static long[] sums(LongAdder[] adders) {
        long[] sums = new long[adders.length];
        for (int i = 0; i < adders.length; i++) {
            sums[i] = adders[i].sum();
        }
        return sums;
    }
}
