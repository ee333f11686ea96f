package dev.lbchannel.balancer.ringhash;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * gRFC A42's {@code ring_hash}: a health-checked subchannel per distinct endpoint (one listed n
 * times has weight n; our endpoints carry no weight attribute), none connected until a pick
 * needs it; a ring rebuilt on every resolution, a {@link RingHashPicker} on every state change.
 * The aggregate state follows A42's rules; while it is CONNECTING or TRANSIENT_FAILURE and no
 * endpoint is connecting, one IDLE endpoint is connected (A61), so the policy recovers without
 * picks. A failed subchannel reconnects with its own backoff (as A62's sticky pick_first does);
 * it counts as failed until READY again. Runs on the serializer.
 */
final class RingHashBalancer implements Balancer {

    /** The name channelz shows a subchannel's ring entries under. */
    static final String GAUGE = "ringEntries";

    private final BalancerHelper helper;
    private final LongSupplier random;
    private final long ringSizeCap;
    /** By the endpoint's addresses, in resolver order. */
    private Map<List<SocketAddress>, RingEndpoint> endpoints = new LinkedHashMap<>();
    /** The same endpoints, indexed as the ring names them. */
    private RingEndpoint[] members = new RingEndpoint[0];
    private @Nullable Ring ring;
    private Metadata.@Nullable Key<byte[]> header;
    private @Nullable Status lastResolverError;
    private boolean shutdown;

    RingHashBalancer(BalancerHelper helper, LongSupplier random, long ringSizeCap) {
        this.helper = helper;
        this.random = random;
        this.ringSizeCap = ringSizeCap;
    }

    /** A resolution without a config block (the policy named by {@code loadBalancingPolicy}) takes A42's defaults. */
    @Override
    public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        helper.serializer().assertInContext();
        RingHashConfig config = resolved.config() instanceof RingHashConfig c ? c : RingHashConfig.DEFAULT;
        if (resolved.endpoints().isEmpty()) {
            Status error = Status.UNAVAILABLE.withDescription("The resolver returned no endpoints");
            handleResolutionError(error);
            return error;
        }
        lastResolverError = null;
        String headerName = config.requestHashHeader();
        if (headerName == null) {
            header = null;
        } else if (header == null || !header.name().equals(headerName)) {
            header = HashHeader.key(headerName);
        }
        updateEndpoints(resolved.endpoints());
        List<Ring.Member> weighted = new ArrayList<>(members.length);
        for (RingEndpoint member : members) {
            weighted.add(new Ring.Member(SocketAddresses.text(member.subchannel.endpoint().addresses().get(0)),
                    member.weight));
        }
        // A42: a local cap bounds both sizes, whatever the config says.
        Ring next = Ring.build(weighted, Math.min(config.minRingSize(), ringSizeCap),
                Math.min(config.maxRingSize(), ringSizeCap));
        for (int i = 0; i < members.length; i++) {
            members[i].entries(next.entries(i));
        }
        ring = next;
        publish();
        return Status.OK;
    }

    /** One {@link RingEndpoint} per distinct address list; a repeat adds weight. */
    private void updateEndpoints(List<Endpoint> resolved) {
        Map<List<SocketAddress>, RingEndpoint> next = new LinkedHashMap<>(resolved.size() * 2);
        Map<List<SocketAddress>, RingEndpoint> old = endpoints;
        for (Endpoint endpoint : resolved) {
            RingEndpoint member = next.get(endpoint.addresses());
            if (member != null) {
                member.weight++;
                continue;
            }
            member = old.remove(endpoint.addresses());
            if (member == null) {
                member = create(endpoint);
            } else if (!member.subchannel.endpoint().equals(endpoint)) {
                member.subchannel.updateEndpoint(endpoint);
            }
            member.weight = 1;
            next.put(endpoint.addresses(), member);
        }
        for (RingEndpoint removed : old.values()) {
            removed.removed = true;
            removed.subchannel.shutdown();
        }
        endpoints = next;
        members = next.values().toArray(RingEndpoint[]::new);
    }

    private RingEndpoint create(Endpoint endpoint) {
        Subchannel subchannel = helper.createSubchannel(endpoint, SubchannelOptions.HEALTH_CHECKED);
        RingEndpoint member = new RingEndpoint(subchannel, helper.serializer());
        subchannel.start(info -> onStateChange(member, info));
        helper.subchannelGauge(subchannel, GAUGE, member::entries);
        return member; // not connected: a pick that needs it connects it (A42)
    }

    private void onStateChange(RingEndpoint member, ConnectivityStateInfo info) {
        if (member.removed || shutdown) {
            return;
        }
        switch (info.getState()) {
            case READY -> member.state = ConnectivityState.READY;
            case TRANSIENT_FAILURE -> {
                member.state = ConnectivityState.TRANSIENT_FAILURE;
                member.failed = PickResult.withError(info.getStatus().isOk() ? Status.UNAVAILABLE : info.getStatus());
                helper.refreshNameResolution();
            }
            case CONNECTING -> {
                if (member.state != ConnectivityState.TRANSIENT_FAILURE) {
                    member.state = ConnectivityState.CONNECTING; // a failure sticks until READY (A42)
                }
            }
            case IDLE -> onIdle(member);
            case SHUTDOWN -> {
                return;
            }
        }
        publish();
    }

    /** A42: a READY endpoint whose connection is lost counts as IDLE; a failed one keeps trying. */
    private void onIdle(RingEndpoint member) {
        if (member.state == ConnectivityState.TRANSIENT_FAILURE) {
            member.subchannel.requestConnection();
            return;
        }
        if (member.state == ConnectivityState.READY) {
            helper.refreshNameResolution();
        }
        member.state = ConnectivityState.IDLE;
    }

    /** Publishes a picker of the states now, then connects one IDLE endpoint if A61 says so. */
    private void publish() {
        if (ring == null || shutdown) {
            return;
        }
        ConnectivityState[] states = new ConnectivityState[members.length];
        int ready = 0;
        int failed = 0;
        int connecting = 0;
        int idle = 0;
        for (int i = 0; i < members.length; i++) {
            states[i] = members[i].state;
            switch (states[i]) {
                case READY -> ready++;
                case TRANSIENT_FAILURE -> failed++;
                case CONNECTING -> connecting++;
                default -> idle++;
            }
        }
        ConnectivityState state = aggregate(ready, failed, connecting, idle, members.length);
        helper.updateState(state, new RingHashPicker(ring, members, states, header, random));
        if ((state == ConnectivityState.CONNECTING || state == ConnectivityState.TRANSIENT_FAILURE) && connecting == 0) {
            connectOneIdle();
        }
    }

    /** A42's aggregation rules, in order. */
    private static ConnectivityState aggregate(int ready, int failed, int connecting, int idle, int all) {
        if (ready > 0) {
            return ConnectivityState.READY;
        }
        if (failed >= 2) {
            return ConnectivityState.TRANSIENT_FAILURE;
        }
        if (connecting > 0) {
            return ConnectivityState.CONNECTING;
        }
        if (failed == 1 && all > 1) {
            return ConnectivityState.CONNECTING;
        }
        if (idle > 0) {
            return ConnectivityState.IDLE;
        }
        return ConnectivityState.TRANSIENT_FAILURE;
    }

    private void connectOneIdle() {
        for (RingEndpoint member : members) {
            if (member.state == ConnectivityState.IDLE) {
                member.subchannel.requestConnection(); // its CONNECTING publishes again
                return;
            }
        }
    }

    @Override
    public void handleResolutionError(Status error) {
        helper.serializer().assertInContext();
        lastResolverError = error;
        if (endpoints.isEmpty()) {
            PickResult failure = PickResult.withError(Status.UNAVAILABLE.withDescription(
                    "No endpoints; last resolver error: " + error.getCode()
                            + (error.getDescription() == null ? "" : " " + error.getDescription()))
                    .withCause(error.getCause()));
            helper.updateState(ConnectivityState.TRANSIENT_FAILURE, args -> failure);
        }
    }

    /** The channel leaves idle: connect one endpoint unless one is READY or connecting already. */
    @Override
    public void requestConnection() {
        for (RingEndpoint member : members) {
            if (member.state == ConnectivityState.READY || member.state == ConnectivityState.CONNECTING) {
                return;
            }
        }
        connectOneIdle();
    }

    @Override
    public void shutdown() {
        shutdown = true;
        for (RingEndpoint member : endpoints.values()) {
            member.removed = true;
            member.subchannel.shutdown();
        }
        endpoints = new LinkedHashMap<>();
        members = new RingEndpoint[0];
    }

    @Override
    public String toString() {
        return "RingHashBalancer{" + members.length + " endpoints, ring " + (ring == null ? 0 : ring.size())
                + (lastResolverError == null ? "" : ", resolver error " + Objects.toString(lastResolverError.getCode()))
                + "}";
    }
}
