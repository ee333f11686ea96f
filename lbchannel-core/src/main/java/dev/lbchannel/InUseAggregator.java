package dev.lbchannel;

import java.util.HashSet;
import java.util.Set;

/**
 * Knows whether anything of the channel is in use (a connection with open streams, or RPCs
 * waiting for a pick) and says when that turns on or off; the idle timer listens. Runs on the
 * serializer.
 */
final class InUseAggregator {

    private final Set<Object> inUse = new HashSet<>();
    private final Runnable onInUse;
    private final Runnable onNotInUse;

    InUseAggregator(Runnable onInUse, Runnable onNotInUse) {
        this.onInUse = onInUse;
        this.onNotInUse = onNotInUse;
    }

    void update(Object user, boolean used) {
        boolean wasInUse = !inUse.isEmpty();
        if (used) {
            inUse.add(user);
        } else {
            inUse.remove(user);
        }
        boolean nowInUse = !inUse.isEmpty();
        if (nowInUse && !wasInUse) {
            onInUse.run();
        } else if (!nowInUse && wasInUse) {
            onNotInUse.run();
        }
    }

    boolean isInUse() {
        return !inUse.isEmpty();
    }
}
