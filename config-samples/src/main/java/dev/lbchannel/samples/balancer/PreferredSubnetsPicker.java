package dev.lbchannel.samples.balancer;

import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.roundrobin.RoundRobinPicker;

import java.util.List;

/**
 * Rotates over the READY backends in the preferred subnets or, when none of those is READY,
 * over every READY backend. The choice is made once, when the picker is built; the rotation is
 * lbchannel's own round-robin picker, so a pick costs what a round_robin pick costs.
 */
final class PreferredSubnetsPicker implements Picker {

    private final RoundRobinPicker rotation;
    private final int size;
    private final boolean spilledOver;

    /** @param ready the READY subchannels, never empty */
    PreferredSubnetsPicker(List<Subchannel> ready, PreferredSubnetsConfig config) {
        List<Subchannel> preferred = ready.stream().filter(config::prefers).toList();
        spilledOver = preferred.isEmpty();
        List<Subchannel> chosen = spilledOver ? ready : preferred;
        rotation = new RoundRobinPicker(chosen);
        size = chosen.size();
    }

    @Override
    public PickResult pick(PickArgs args) {
        return rotation.pick(args);
    }

    @Override
    public String toString() {
        return "PreferredSubnetsPicker{" + size + (spilledOver ? " READY, none preferred}" : " preferred READY}");
    }
}
