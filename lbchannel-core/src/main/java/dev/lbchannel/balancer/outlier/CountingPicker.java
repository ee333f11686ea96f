package dev.lbchannel.balancer.outlier;

import dev.lbchannel.balancer.CallOutcomeListener;
import dev.lbchannel.balancer.ForwardingSubchannel;
import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;
import org.jspecify.annotations.Nullable;

/**
 * The child's picker with each pick's outcome counted: a pick of one of this policy's
 * subchannels returns that subchannel's own counting result, made once, so a pick costs the
 * child's pick plus a type check and allocates nothing. Only when the child's result already
 * carries a listener (a policy nested under this one that counts too) is a result made per pick,
 * telling both. Immutable.
 */
final class CountingPicker implements Picker {

    private final Picker child;
    private final OutlierDetectionBalancer owner;

    CountingPicker(Picker child, OutlierDetectionBalancer owner) {
        this.child = child;
        this.owner = owner;
    }

    @Override
    public PickResult pick(PickArgs args) {
        PickResult result = child.pick(args);
        Subchannel picked = result.subchannel();
        if (picked == null) {
            return result;
        }
        OutlierSubchannel own = ownWrapper(picked);
        if (own == null) {
            return result;
        }
        CallOutcomeListener inner = result.outcomeListener();
        if (inner == null) {
            return own.countedResult();
        }
        return own.countedResult(picked, inner);
    }

    private @Nullable OutlierSubchannel ownWrapper(Subchannel picked) {
        Subchannel current = picked;
        while (current instanceof ForwardingSubchannel wrapper) {
            if (current instanceof OutlierSubchannel od && od.owner() == owner) {
                return od;
            }
            current = wrapper.delegate();
        }
        return null;
    }

    @Override
    public String toString() {
        return "CountingPicker{" + child + "}";
    }
}
