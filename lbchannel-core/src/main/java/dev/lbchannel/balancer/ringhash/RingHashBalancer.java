package dev.lbchannel.balancer.ringhash;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.balancer.base.AddressKey;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * gRFC A42's {@code ring_hash}: a health-checked subchannel per distinct endpoint (one listed n
 * times has weight n; our endpoints carry no weight attribute), none connected until a pick
 * needs it. The ring is rebuilt only when the members, their order, their weights or the ring
 * sizes change; that costs O(members + ring size), since A42's ring is a sorted array. A
 * {@link RingHashPicker} is published after state changes (one for those that reach the
 * serializer together) and after an update that rebuilt the ring or changed the hash header; an
 * update that changes none of these costs a hash lookup per endpoint and no allocation.
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
    /** By the endpoint's addresses. */
    private final Map<AddressKey, RingEndpoint> endpoints = new HashMap<>();
    /** Looks endpoints up without a key object each; used on the serializer only. */
    private final AddressKey probe = AddressKey.probe();
    /** The same endpoints in resolver order, indexed as the ring names them. */
    private RingEndpoint[] members = new RingEndpoint[0];
    /** Scratch for an update's members in resolver order; reused, empty between updates. */
    private RingEndpoint[] listed = new RingEndpoint[0];
    /** Numbers the updates, so a member knows whether this update listed it. */
    private int generation;
    private @Nullable Ring ring;
    private long ringMinSize;
    private long ringMaxSize;
    private Metadata.@Nullable Key<byte[]> header;
    /** The header the last picker hashes. */
    private Metadata.@Nullable Key<byte[]> publishedHeader;
    private @Nullable Status lastResolverError;
    private boolean shutdown;
    /** A publish is queued behind the serializer's current tasks. */
    private boolean publishQueued;
    private final Runnable queuedPublish = this::runQueuedPublish;

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
        boolean membersChanged = updateEndpoints(resolved.endpoints());
        // A42: a local cap bounds both sizes, whatever the config says.
        long minSize = Math.min(config.minRingSize(), ringSizeCap);
        long maxSize = Math.min(config.maxRingSize(), ringSizeCap);
        if (membersChanged || ring == null || minSize != ringMinSize || maxSize != ringMaxSize) {
            buildRing(minSize, maxSize);
        } else if (header == publishedHeader) {
            return Status.OK; // nothing a picker holds changed
        }
        publish();
        return Status.OK;
    }

    /** A42's ring over {@link #members}, rebuilt only when they, their weights or the sizes change. */
    private void buildRing(long minSize, long maxSize) {
        List<Ring.Member> weighted = new ArrayList<>(members.length);
        for (RingEndpoint member : members) {
            weighted.add(new Ring.Member(member.key, member.weight));
        }
        Ring next = Ring.build(weighted, minSize, maxSize);
        for (int i = 0; i < members.length; i++) {
            members[i].entries(next.entries(i));
        }
        ring = next;
        ringMinSize = minSize;
        ringMaxSize = maxSize;
    }

    /**
     * One {@link RingEndpoint} per distinct address list; a repeat adds weight. A hash lookup per
     * endpoint and no allocation for one that stays.
     *
     * @return whether the members, their order or their weights changed, so the ring must be rebuilt
     */
    private boolean updateEndpoints(List<Endpoint> resolved) {
        int update = ++generation;
        int before = endpoints.size();
        if (listed.length < resolved.size()) {
            listed = new RingEndpoint[Math.max(resolved.size(), listed.length * 2)];
        }
        int count = 0;
        int kept = 0;
        boolean changed = false;
        for (int i = 0; i < resolved.size(); i++) {
            Endpoint endpoint = resolved.get(i);
            RingEndpoint member = endpoints.get(probe.point(endpoint.addresses()));
            if (member != null && member.listedIn == update) {
                member.listedWeight++;
                continue;
            }
            if (member == null) {
                member = create(endpoint);
                endpoints.put(AddressKey.of(endpoint.addresses()), member);
                changed = true;
            } else {
                kept++;
                if (!AddressKey.sameEndpoint(member.subchannel.endpoint(), endpoint)) {
                    member.subchannel.updateEndpoint(endpoint);
                }
                changed |= count >= members.length || members[count] != member;
            }
            member.listedIn = update;
            member.listedWeight = 1;
            listed[count++] = member;
        }
        if (kept < before) {
            removeUnlisted(update);
            changed = true;
        }
        for (int i = 0; i < count; i++) {
            RingEndpoint member = listed[i];
            changed |= member.weight != member.listedWeight;
            member.weight = member.listedWeight;
        }
        changed |= count != members.length;
        if (changed) {
            members = Arrays.copyOf(listed, count);
        }
        Arrays.fill(listed, 0, count, null);
        return changed;
    }

    private void removeUnlisted(int update) {
        for (Iterator<RingEndpoint> it = endpoints.values().iterator(); it.hasNext(); ) {
            RingEndpoint member = it.next();
            if (member.listedIn != update) {
                it.remove();
                member.removed = true;
                member.subchannel.shutdown();
            }
        }
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
        if (!publishQueued) {
            // State changes queued together (a burst of connections) make one picker, not one each.
            publishQueued = true;
            helper.serializer().executeLater(queuedPublish);
        }
    }

    private void runQueuedPublish() {
        publishQueued = false;
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
        publishedHeader = header;
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
        endpoints.clear();
        members = new RingEndpoint[0];
    }

    @Override
    public String toString() {
        return "RingHashBalancer{" + members.length + " endpoints, ring " + (ring == null ? 0 : ring.size())
                + (lastResolverError == null ? "" : ", resolver error " + Objects.toString(lastResolverError.getCode()))
                + "}";
    }
}
