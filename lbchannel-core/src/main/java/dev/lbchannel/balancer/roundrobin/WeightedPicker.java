package dev.lbchannel.balancer.roundrobin;

import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.wrr.StaticStrideScheduler;

import java.util.List;

/**
 * round_robin's picker while endpoints ramp up under slow start: the scheduler names the endpoint,
 * in proportion to its factor. A pick is the scheduler's step and an array read: no lock, no
 * allocation. Immutable but for the scheduler's shared counter.
 */
final class WeightedPicker implements Picker {

    private final PickResult[] results;
    private final StaticStrideScheduler scheduler;

    /** @param ready the READY subchannels, in the scheduler's order; not empty */
    WeightedPicker(List<Subchannel> ready, StaticStrideScheduler scheduler) {
        this.results = new PickResult[ready.size()];
        for (int i = 0; i < results.length; i++) {
            results[i] = PickResult.withSubchannel(ready.get(i));
        }
        this.scheduler = scheduler;
    }

    @Override
    public PickResult pick(PickArgs args) {
        return results[scheduler.pick()];
    }

    @Override
    public String toString() {
        return "RoundRobinPicker{" + results.length + " ready, slow start}";
    }
}
