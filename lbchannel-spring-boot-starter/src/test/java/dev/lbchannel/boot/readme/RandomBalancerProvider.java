package dev.lbchannel.boot.readme;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Status;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The README's minimal balancer: policy {@code random}, a random READY endpoint per call. */
public final class RandomBalancerProvider implements BalancerProvider {

    @Override
    public String policyName() {
        return "random";
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        return new RandomBalancer(helper);
    }

    /** Every method runs on the channel's serializer, one at a time: plain maps, no locks. */
    static final class RandomBalancer implements Balancer {

        private final BalancerHelper helper;
        private final Map<Endpoint, Subchannel> subchannels = new HashMap<>();
        private final Map<Subchannel, ConnectivityStateInfo> states = new HashMap<>();

        RandomBalancer(BalancerHelper helper) {
            this.helper = helper;
        }

        @Override
        public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
            if (resolved.endpoints().isEmpty()) {
                return Status.UNAVAILABLE.withDescription("The resolver found no endpoints");
            }
            subchannels.entrySet().removeIf(entry -> {
                boolean gone = !resolved.endpoints().contains(entry.getKey());
                if (gone) {
                    entry.getValue().shutdown();
                    states.remove(entry.getValue());
                }
                return gone;
            });
            resolved.endpoints().forEach(endpoint -> subchannels.computeIfAbsent(endpoint, this::connect));
            publish();
            return Status.OK;
        }

        private Subchannel connect(Endpoint endpoint) {
            Subchannel subchannel = helper.createSubchannel(endpoint);
            states.put(subchannel, ConnectivityStateInfo.forNonError(ConnectivityState.IDLE));
            subchannel.start(state -> {
                states.put(subchannel, state);
                if (state.getState() == ConnectivityState.IDLE) {
                    subchannel.requestConnection(); // stay connected, as round_robin does
                }
                publish();
            });
            subchannel.requestConnection();
            return subchannel;
        }

        /** Pickers are immutable: one PickResult per READY subchannel, made here, none per call. */
        private void publish() {
            List<PickResult> ready = states.entrySet().stream()
                    .filter(entry -> entry.getValue().getState() == ConnectivityState.READY)
                    .map(entry -> PickResult.withSubchannel(entry.getKey())).toList();
            if (!ready.isEmpty()) {
                helper.updateState(ConnectivityState.READY,
                        args -> ready.get(ThreadLocalRandom.current().nextInt(ready.size())));
            } else if (states.values().stream().allMatch(s -> s.getState() == ConnectivityState.TRANSIENT_FAILURE)) {
                PickResult error = PickResult.withError(states.values().iterator().next().getStatus());
                helper.updateState(ConnectivityState.TRANSIENT_FAILURE, args -> error);
            } else {
                helper.updateState(ConnectivityState.CONNECTING, args -> PickResult.withNoResult());
            }
        }

        @Override
        public void handleResolutionError(Status error) {
            if (subchannels.isEmpty()) {
                helper.updateState(ConnectivityState.TRANSIENT_FAILURE, args -> PickResult.withError(error));
            }
        }

        @Override
        public void shutdown() {
            subchannels.values().forEach(Subchannel::shutdown);
        }
    }
}
