package dev.lbchannel.balancer.base;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointList;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One subchannel per endpoint, connected as soon as it is created and again whenever it goes
 * idle; removed (and drained) when its endpoint disappears. The aggregate state is READY if any
 * subchannel is, else CONNECTING if any is connecting or idle, else TRANSIENT_FAILURE; a
 * subchannel that failed counts as failed until it is READY again. Subchannels are
 * {@linkplain SubchannelOptions#HEALTH_CHECKED health-checked} (gRFC A17): one the backend calls
 * unhealthy reports TRANSIENT_FAILURE and leaves the picker. Runs on the serializer.
 *
 * <p>Cost of an update (issue 18): when the resolver's list is an {@link EndpointList} derived
 * from the one accepted last, only its changes are applied: a hash lookup and a subchannel made
 * or shut down per endpoint added or removed, O(1) in the list's length (an address listed
 * twice, with different attributes, sends the update down the whole-list path). A kept
 * endpoint keeps its place in the READY order and a new one goes last, as in the derived list.
 * Otherwise one hash
 * lookup per resolved endpoint and no allocation for an endpoint that stays; a subchannel
 * created or shut down per endpoint added or removed; a scan for the removed ones only when
 * something was removed. The aggregate state is kept as counts,
 * so a state change costs O(1) unless the READY set changes. A picker is built only when the
 * READY set (or its resolver order) or the aggregate state changes; building one copies the
 * READY subchannels in resolver order, O(endpoints), since pickers are immutable arrays. State
 * changes that reach the serializer together (many connections coming up at once) make one
 * picker, published after them, rather than one each.
 */
public final class BaseBalancer implements Balancer {

    private final BalancerHelper helper;
    private final PickerBuilder pickerBuilder;
    /** By the endpoint's addresses. */
    private final Map<AddressKey, BalancerChild> children = new HashMap<>();
    /** Looks children up without a key object per endpoint; used on the serializer only. */
    private final AddressKey probe = AddressKey.probe();
    private final ResolverOrder order = new ResolverOrder();
    /** The endpoint list of the last update, to recognise a list derived from it. */
    private @Nullable List<Endpoint> accepted;
    /** Numbers the updates, so a child knows whether this update listed it. */
    private int generation;
    private int readyCount;
    /** Children that count as CONNECTING or IDLE. */
    private int connectingCount;
    /** The READY set or its order changed since the last READY picker was built. */
    private boolean readyChanged;
    /** How many subchannels the last READY picker holds; 0 when the state is not READY. */
    private int publishedReadyCount;
    private @Nullable Status lastConnectionError;
    private @Nullable Status lastResolverError;
    private @Nullable ConnectivityState publishedState;
    /** Inside an update, whose end publishes: a subchannel may report a state synchronously. */
    private boolean accepting;
    /** A publish is queued behind the serializer's current tasks. */
    private boolean publishQueued;
    private final Runnable queuedPublish = this::runQueuedPublish;
    private boolean shutdown;

    public BaseBalancer(BalancerHelper helper, PickerBuilder pickerBuilder) {
        this.helper = helper;
        this.pickerBuilder = pickerBuilder;
    }

    @Override
    public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        helper.serializer().assertInContext();
        List<Endpoint> endpoints = resolved.endpoints();
        if (endpoints.isEmpty()) {
            Status error = Status.UNAVAILABLE.withDescription("The resolver returned no endpoints");
            accepted = null;
            handleResolutionError(error);
            return error;
        }
        lastResolverError = null;
        int update = ++generation;
        List<EndpointList.Change> changes = EndpointList.changesSince(accepted, endpoints);
        accepted = null; // an update that throws half-way leaves the next one to read the whole list
        accepting = true;
        try {
            if (changes == null || !applyChanges(changes, update)) {
                applyUpdate(endpoints, ++generation, children.size());
            }
        } finally {
            accepting = false;
        }
        accepted = endpoints;
        publish();
        return Status.OK;
    }

    private void applyUpdate(List<Endpoint> endpoints, int update, int before) {
        order.beginRewrite(endpoints.size());
        int count = 0;
        int kept = 0;
        int nextReadyIndex = 0; // where the next kept READY child sits in the last picker, if in order
        for (int i = 0; i < endpoints.size(); i++) { // indexed: no iterator per update
            Endpoint endpoint = endpoints.get(i);
            BalancerChild child = children.get(probe.point(endpoint.addresses()));
            if (child == null) {
                child = create(endpoint, update);
            } else if (child.listedIn == update) {
                child.listings++;
                continue; // listed twice: still one subchannel
            } else {
                child.listedIn = update;
                child.listings = 1;
                kept++;
                if (!AddressKey.sameEndpoint(child.subchannel.endpoint(), endpoint)) {
                    child.subchannel.updateEndpoint(endpoint);
                }
                if (child.readyIndex >= 0 && child.readyIndex != nextReadyIndex++) {
                    readyChanged = true; // the resolver reordered READY endpoints
                }
            }
            order.rewrite(count++, child);
        }
        order.endRewrite(count);
        if (kept < before) {
            removeUnlisted(update);
        }
        if (nextReadyIndex != publishedReadyCount) {
            readyChanged = true;
        }
    }

    /**
     * Applies the changes of a derived list, every addition before any removal (so an endpoint
     * removed and listed again, or replaced by one with the same addresses and new attributes,
     * keeps its subchannel, as in a whole-list update). Returns {@code false}, leaving the rest
     * to a whole-list update, where only the whole list can say which attributes an address
     * listed twice keeps.
     */
    private boolean applyChanges(List<EndpointList.Change> changes, int update) {
        for (int c = 0; c < changes.size(); c++) {
            List<Endpoint> added = changes.get(c).added();
            for (int i = 0; i < added.size(); i++) {
                Endpoint endpoint = added.get(i);
                BalancerChild child = children.get(probe.point(endpoint.addresses()));
                if (child == null) {
                    order.append(create(endpoint, update));
                    continue;
                }
                child.listings++;
                Endpoint carried = child.subchannel.endpoint();
                if (!AddressKey.sameEndpoint(carried, endpoint)) {
                    if (!removesOne(changes, carried)) {
                        return false; // listed twice with different attributes: the first listing's win
                    }
                    child.subchannel.updateEndpoint(endpoint);
                }
            }
        }
        for (int c = 0; c < changes.size(); c++) {
            List<Endpoint> removed = changes.get(c).removed();
            for (int i = 0; i < removed.size(); i++) {
                Endpoint endpoint = removed.get(i);
                AddressKey key = probe.point(endpoint.addresses());
                BalancerChild child = children.get(key);
                if (child == null) {
                    continue;
                }
                if (--child.listings > 0) {
                    if (AddressKey.sameEndpoint(child.subchannel.endpoint(), endpoint)) {
                        return false; // the listing it carries went; another stays, with its own attributes
                    }
                    continue;
                }
                children.remove(key);
                child.removed = true;
                leave(child);
                child.subchannel.shutdown();
                order.remove(child);
            }
        }
        return true;
    }

    /** Whether {@code changes} remove an endpoint equal to {@code endpoint}: O(removals), a few. */
    private static boolean removesOne(List<EndpointList.Change> changes, Endpoint endpoint) {
        for (int c = 0; c < changes.size(); c++) {
            List<Endpoint> removed = changes.get(c).removed();
            for (int i = 0; i < removed.size(); i++) {
                if (AddressKey.sameEndpoint(removed.get(i), endpoint)) {
                    return true;
                }
            }
        }
        return false;
    }

    private BalancerChild create(Endpoint endpoint, int update) {
        Subchannel subchannel = helper.createSubchannel(endpoint, SubchannelOptions.HEALTH_CHECKED);
        BalancerChild child = new BalancerChild(subchannel);
        child.listedIn = update;
        children.put(AddressKey.of(endpoint.addresses()), child);
        count(child.effective, 1);
        subchannel.start(info -> onStateChange(child, info));
        subchannel.requestConnection();
        return child;
    }

    /** Shuts down the children the update did not list: a scan, made only when one is gone. */
    private void removeUnlisted(int update) {
        for (Iterator<BalancerChild> it = children.values().iterator(); it.hasNext(); ) {
            BalancerChild child = it.next();
            if (child.listedIn != update) {
                it.remove();
                child.removed = true;
                leave(child);
                child.subchannel.shutdown();
            }
        }
    }

    private void onStateChange(BalancerChild child, ConnectivityStateInfo info) {
        if (child.removed) {
            return;
        }
        ConnectivityState state = info.getState();
        switch (state) {
            case READY -> become(child, ConnectivityState.READY);
            case TRANSIENT_FAILURE -> {
                become(child, ConnectivityState.TRANSIENT_FAILURE);
                lastConnectionError = info.getStatus();
                helper.refreshNameResolution();
            }
            case IDLE -> {
                if (child.effective != ConnectivityState.TRANSIENT_FAILURE) {
                    become(child, ConnectivityState.IDLE);
                }
                child.subchannel.requestConnection();
            }
            case CONNECTING -> {
                if (child.effective != ConnectivityState.TRANSIENT_FAILURE) {
                    become(child, ConnectivityState.CONNECTING);
                }
            }
            case SHUTDOWN -> { }
        }
        if (!accepting && !publishQueued) {
            // State changes queued together (a burst of connections) make one picker, not one each.
            publishQueued = true;
            helper.serializer().executeLater(queuedPublish);
        }
    }

    /** Moves {@code child} to {@code next}, keeping the counts and noting a change of the READY set. */
    private void become(BalancerChild child, ConnectivityState next) {
        if (child.effective == next) {
            return;
        }
        leave(child);
        child.effective = next;
        count(next, 1);
        if (next == ConnectivityState.READY) {
            readyChanged = true;
        }
    }

    /** Takes {@code child} out of the counts of its current state (it changes state or goes). */
    private void leave(BalancerChild child) {
        count(child.effective, -1);
        if (child.effective == ConnectivityState.READY) {
            readyChanged = true;
        }
        child.readyIndex = -1;
    }

    private void count(ConnectivityState state, int delta) {
        switch (state) {
            case READY -> readyCount += delta;
            case CONNECTING, IDLE -> connectingCount += delta;
            default -> { }
        }
    }

    @Override
    public void handleResolutionError(Status error) {
        helper.serializer().assertInContext();
        lastResolverError = error;
        if (children.isEmpty()) {
            publishedState = ConnectivityState.TRANSIENT_FAILURE;
            helper.updateState(ConnectivityState.TRANSIENT_FAILURE, failingPicker());
        } else if (publishedState == ConnectivityState.TRANSIENT_FAILURE) {
            // Same state, but the picker's error now names the resolver's failure too.
            helper.updateState(ConnectivityState.TRANSIENT_FAILURE, failingPicker());
        }
    }

    /**
     * Publishes a picker built anew from the same READY set, for a policy whose pickers depend on
     * a config that changed (such as least_request's {@code choiceCount}); nothing else changes.
     */
    public void rebuildPicker() {
        helper.serializer().assertInContext();
        if (publishedState == ConnectivityState.READY) {
            publishedState = null; // so publish() does not take the picker for current
            publish();
        }
    }

    private void runQueuedPublish() {
        publishQueued = false;
        if (!shutdown) {
            publish();
        }
    }

    /** Publishes a picker if the aggregate state or the READY set changed. */
    private void publish() {
        ConnectivityState state = readyCount > 0 ? ConnectivityState.READY
                : connectingCount > 0 ? ConnectivityState.CONNECTING : ConnectivityState.TRANSIENT_FAILURE;
        // A new failure is published even in TRANSIENT_FAILURE, so the picker names the latest error.
        if (state == publishedState && state != ConnectivityState.TRANSIENT_FAILURE
                && (state != ConnectivityState.READY || !readyChanged)) {
            return;
        }
        publishedState = state;
        Picker picker = switch (state) {
            case READY -> pickerBuilder.build(readyInOrder());
            case TRANSIENT_FAILURE -> failingPicker();
            default -> args -> PickResult.withNoResult();
        };
        if (state != ConnectivityState.READY) {
            publishedReadyCount = 0; // no child is READY, so none has a readyIndex
            readyChanged = false;
        }
        helper.updateState(state, picker);
    }

    /** The READY subchannels in resolver order, each child noting its index: the one O(n) step. */
    private List<Subchannel> readyInOrder() {
        List<Subchannel> ready = new ArrayList<>(readyCount);
        for (int i = 0; i < order.slotCount(); i++) {
            BalancerChild child = order.at(i);
            if (child != null && child.effective == ConnectivityState.READY) {
                child.readyIndex = ready.size();
                ready.add(child.subchannel);
            }
        }
        publishedReadyCount = ready.size();
        readyChanged = false;
        return Collections.unmodifiableList(ready);
    }

    private Picker failingPicker() {
        PickResult result = PickResult.withError(NoReadyBackend.status(lastConnectionError, lastResolverError));
        return args -> result;
    }

    @Override
    public void requestConnection() {
        for (BalancerChild child : children.values()) {
            child.subchannel.requestConnection();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        for (BalancerChild child : children.values()) {
            child.removed = true;
            child.subchannel.shutdown();
        }
        children.clear();
        order.clear();
        accepted = null;
    }
}
