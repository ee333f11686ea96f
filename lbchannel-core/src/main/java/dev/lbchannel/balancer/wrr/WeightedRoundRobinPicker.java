package dev.lbchannel.balancer.wrr;

import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;

/**
 * gRFC A58's picker: its scheduler names the READY endpoint, whose one result (made once, with
 * the per-call report listener when reports come per call) goes back. A new picker with a new
 * scheduler replaces this one every {@code weightUpdatePeriod}; the shared sequence carries the
 * rotation on. A pick is the scheduler's step and an array read: no lock, no allocation.
 * Immutable.
 */
final class WeightedRoundRobinPicker implements Picker {

    private final PickResult[] results;
    private final StaticStrideScheduler scheduler;

    /** @param results one per READY endpoint, in the scheduler's order; not empty */
    WeightedRoundRobinPicker(PickResult[] results, StaticStrideScheduler scheduler) {
        this.results = results;
        this.scheduler = scheduler;
    }

    @Override
    public PickResult pick(PickArgs args) {
        return results[scheduler.pick()];
    }

    @Override
    public String toString() {
        return "WeightedRoundRobinPicker{" + results.length + " ready"
                + (scheduler.isRoundRobin() ? ", round robin until two have weights" : "") + "}";
    }
}
