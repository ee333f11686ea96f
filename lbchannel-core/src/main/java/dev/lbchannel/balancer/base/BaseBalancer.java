package dev.lbchannel.balancer.base;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * <p>An update that changes one endpoint of many creates or removes one subchannel; the picker
 * is rebuilt only when the READY set or the aggregate state changes.
 */
public final class BaseBalancer implements Balancer {

    private final BalancerHelper helper;
    private final PickerBuilder pickerBuilder;
    /** By the endpoint's addresses, in resolver order. */
    private Map<List<SocketAddress>, Child> children = new LinkedHashMap<>();
    private @Nullable Status lastConnectionError;
    private @Nullable Status lastResolverError;
    private @Nullable List<Subchannel> publishedReady;
    private @Nullable ConnectivityState publishedState;

    public BaseBalancer(BalancerHelper helper, PickerBuilder pickerBuilder) {
        this.helper = helper;
        this.pickerBuilder = pickerBuilder;
    }

    /** A subchannel and the state it counts as. */
    private static final class Child {
        final Subchannel subchannel;
        ConnectivityState effective = ConnectivityState.IDLE;

        Child(Subchannel subchannel) {
            this.subchannel = subchannel;
        }
    }

    @Override
    public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        helper.serializer().assertInContext();
        if (resolved.endpoints().isEmpty()) {
            Status error = Status.UNAVAILABLE.withDescription("The resolver returned no endpoints");
            handleResolutionError(error);
            return error;
        }
        lastResolverError = null;
        Map<List<SocketAddress>, Child> next = new LinkedHashMap<>(resolved.endpoints().size() * 2);
        Map<List<SocketAddress>, Child> old = children;
        for (Endpoint endpoint : resolved.endpoints()) {
            Child child = old.remove(endpoint.addresses());
            if (child == null) {
                child = next.get(endpoint.addresses());
            }
            if (child == null) {
                child = create(endpoint);
            } else if (!child.subchannel.endpoint().equals(endpoint)) {
                child.subchannel.updateEndpoint(endpoint);
            }
            next.put(endpoint.addresses(), child);
        }
        for (Child removed : old.values()) {
            removed.subchannel.shutdown();
        }
        children = next;
        publish();
        return Status.OK;
    }

    private Child create(Endpoint endpoint) {
        Subchannel subchannel = helper.createSubchannel(endpoint, SubchannelOptions.HEALTH_CHECKED);
        Child child = new Child(subchannel);
        subchannel.start(info -> onStateChange(child, info));
        subchannel.requestConnection();
        return child;
    }

    private void onStateChange(Child child, ConnectivityStateInfo info) {
        if (children.get(child.subchannel.endpoint().addresses()) != child) {
            return; // removed
        }
        ConnectivityState state = info.getState();
        switch (state) {
            case READY -> child.effective = ConnectivityState.READY;
            case TRANSIENT_FAILURE -> {
                child.effective = ConnectivityState.TRANSIENT_FAILURE;
                lastConnectionError = info.getStatus();
                helper.refreshNameResolution();
            }
            case IDLE -> {
                if (child.effective != ConnectivityState.TRANSIENT_FAILURE) {
                    child.effective = ConnectivityState.IDLE;
                }
                child.subchannel.requestConnection();
            }
            case CONNECTING -> {
                if (child.effective != ConnectivityState.TRANSIENT_FAILURE) {
                    child.effective = ConnectivityState.CONNECTING;
                }
            }
            case SHUTDOWN -> { }
        }
        publish();
    }

    @Override
    public void handleResolutionError(Status error) {
        helper.serializer().assertInContext();
        lastResolverError = error;
        if (children.isEmpty()) {
            publishedReady = null;
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

    /** Recomputes the aggregate state; publishes a picker if it or the READY set changed. */
    private void publish() {
        List<Subchannel> ready = new ArrayList<>();
        boolean connecting = false;
        for (Child child : children.values()) {
            switch (child.effective) {
                case READY -> ready.add(child.subchannel);
                case CONNECTING, IDLE -> connecting = true;
                default -> { }
            }
        }
        ConnectivityState state = !ready.isEmpty() ? ConnectivityState.READY
                : connecting ? ConnectivityState.CONNECTING : ConnectivityState.TRANSIENT_FAILURE;
        // A new failure is published even in TRANSIENT_FAILURE, so the picker names the latest error.
        if (state == publishedState && state != ConnectivityState.TRANSIENT_FAILURE
                && (state != ConnectivityState.READY || ready.equals(publishedReady))) {
            return;
        }
        publishedState = state;
        publishedReady = state == ConnectivityState.READY ? ready : null;
        Picker picker = switch (state) {
            case READY -> pickerBuilder.build(List.copyOf(ready));
            case TRANSIENT_FAILURE -> failingPicker();
            default -> args -> PickResult.withNoResult();
        };
        helper.updateState(state, picker);
    }

    private Picker failingPicker() {
        PickResult result = PickResult.withError(failureStatus());
        return args -> result;
    }

    /** The last connection error and the last resolver error, as one UNAVAILABLE status. */
    private Status failureStatus() {
        StringBuilder description = new StringBuilder("No READY backend");
        if (lastConnectionError != null) {
            description.append("; last connection error: ").append(describe(lastConnectionError));
        }
        if (lastResolverError != null) {
            description.append("; last resolver error: ").append(describe(lastResolverError));
        }
        Status status = Status.UNAVAILABLE.withDescription(description.toString());
        Status cause = lastConnectionError != null ? lastConnectionError : lastResolverError;
        return cause != null && cause.getCause() != null ? status.withCause(cause.getCause()) : status;
    }

    private static String describe(Status status) {
        return status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription());
    }

    @Override
    public void requestConnection() {
        for (Child child : children.values()) {
            child.subchannel.requestConnection();
        }
    }

    @Override
    public void shutdown() {
        for (Child child : children.values()) {
            child.subchannel.shutdown();
        }
        children = new HashMap<>();
    }
}
