package dev.lbchannel.balancer.roundrobin;

import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out READY subchannels in turn, starting at a random one so that many clients do not
 * all start on the same backend. A pick is one atomic increment and an array read: no lock, no
 * allocation. Public so that a policy of one's own can rotate over the subchannels it chose.
 */
public final class RoundRobinPicker implements Picker {

    private final PickResult[] results;
    private final AtomicInteger next;

    /** @param ready the subchannels to rotate over, in order; not empty */
    public RoundRobinPicker(List<Subchannel> ready) {
        if (ready.isEmpty()) {
            throw new IllegalArgumentException("A round-robin picker needs at least one subchannel");
        }
        results = new PickResult[ready.size()];
        for (int i = 0; i < results.length; i++) {
            results[i] = PickResult.withSubchannel(ready.get(i));
        }
        next = new AtomicInteger(ThreadLocalRandom.current().nextInt(results.length));
    }

    @Override
    public PickResult pick(PickArgs args) {
        // floorMod keeps the index valid after the counter wraps past Integer.MAX_VALUE.
        return results[Math.floorMod(next.getAndIncrement(), results.length)];
    }

    @Override
    public String toString() {
        return "RoundRobinPicker{" + results.length + " ready}";
    }
}
