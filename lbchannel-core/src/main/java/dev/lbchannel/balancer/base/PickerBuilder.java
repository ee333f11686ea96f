package dev.lbchannel.balancer.base;

import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;

import java.util.List;

/**
 * Turns the READY subchannels into a picker; all a policy on the {@link BaseBalancer} supplies.
 * Called on the serializer whenever the READY set changes.
 */
@FunctionalInterface
public interface PickerBuilder {

    /** @param ready the READY subchannels, never empty, in resolver order */
    Picker build(List<Subchannel> ready);
}
