package dev.lbchannel.balancer;

import io.grpc.ConnectivityState;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * A parent policy's one child (such as {@code outlier_detection}'s or {@code random_subsetting}'s
 * {@code childPolicy}): kept while the config names the same policy, by name as the channel's own
 * switch compares them, and replaced at once (its subchannels shut down, the new child's
 * reconnect) when it names another. The parent forwards what a child must hear through it. Runs
 * on the serializer.
 */
public final class ChildBalancer {

    private @Nullable Balancer child;
    private @Nullable BalancerProvider policy;
    private @Nullable BalancerHelper helper;

    /**
     * The child for {@code next}: the current one when it runs the same policy, else a new one made
     * with a helper from {@code newHelper}, after the old one shut down.
     */
    public Balancer forPolicy(BalancerProvider next, Supplier<? extends BalancerHelper> newHelper) {
        requireNonNull(next, "next");
        if (child != null && policy != null && next.policyName().equals(policy.policyName())) {
            return child;
        }
        if (child != null) {
            child.shutdown();
        }
        policy = next;
        helper = newHelper.get();
        child = next.newBalancer(helper);
        return child;
    }

    /** Whether {@code source} is the current child's helper, so its states count; a replaced child's do not. */
    public boolean isCurrent(BalancerHelper source) {
        return source == helper;
    }

    /** Tells the child; without one, fails the parent's picks with {@code error}. */
    public void handleResolutionError(Status error, BalancerHelper parent) {
        if (child != null) {
            child.handleResolutionError(error);
        } else {
            parent.updateState(ConnectivityState.TRANSIENT_FAILURE, args -> PickResult.withError(error));
        }
    }

    public void requestConnection() {
        if (child != null) {
            child.requestConnection();
        }
    }

    /** Shuts the child down; its helper's late calls are no longer current. */
    public void shutdown() {
        helper = null;
        if (child != null) {
            child.shutdown();
            child = null;
        }
    }
}
