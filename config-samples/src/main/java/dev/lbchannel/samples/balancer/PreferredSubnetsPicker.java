package dev.lbchannel.samples.balancer;

import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rotates over the READY backends in the preferred subnets or, when none of those is READY,
 * over every READY backend. The choice is made once, when the picker is built; a pick is one
 * atomic increment and an array read, without locks or allocation.
 */
final class PreferredSubnetsPicker implements Picker {

    private final PickResult[] results;
    private final boolean spilledOver;
    private final AtomicInteger next;

    /** @param ready the READY subchannels, never empty */
    PreferredSubnetsPicker(List<Subchannel> ready, PreferredSubnetsConfig config) {
        List<Subchannel> preferred = ready.stream().filter(config::prefers).toList();
        spilledOver = preferred.isEmpty();
        results = (spilledOver ? ready : preferred).stream().map(PickResult::withSubchannel)
                .toArray(PickResult[]::new);
        // A random start keeps a fleet of clients from all beginning on the same backend.
        next = new AtomicInteger(ThreadLocalRandom.current().nextInt(results.length));
    }

    @Override
    public PickResult pick(PickArgs args) {
        return results[Math.floorMod(next.getAndIncrement(), results.length)];
    }

    @Override
    public String toString() {
        return "PreferredSubnetsPicker{" + results.length + (spilledOver ? " READY, none preferred}" : " preferred READY}");
    }
}
