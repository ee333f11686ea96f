package dev.lbchannel;

import java.util.HashSet;
import java.util.Set;

/**
 * Knows whether anything of the channel is in use (a connection with open streams, or RPCs
 * waiting for a pick) and says when that turns off; the idle timer listens, and asks
 * {@link #isInUse()} when it fires (so use starting again needs no callback). Runs on the
 * serializer.
 */
final class InUseAggregator {

    private final Set<Object> inUse = new HashSet<>();
    private final Runnable onNotInUse;

    InUseAggregator(Runnable onNotInUse) {
        this.onNotInUse = onNotInUse;
    }

    void update(Object user, boolean used) {
        boolean wasInUse = !inUse.isEmpty();
        if (used) {
            inUse.add(user);
        } else {
            inUse.remove(user);
        }
        if (wasInUse && inUse.isEmpty()) {
            onNotInUse.run();
        }
    }

    boolean isInUse() {
        return !inUse.isEmpty();
    }
}
