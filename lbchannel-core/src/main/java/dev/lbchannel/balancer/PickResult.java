package dev.lbchannel.balancer;

import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of one pick: a subchannel to use, no decision yet (the RPC waits for the next
 * picker), an error (fail-fast RPCs fail, wait-for-ready RPCs wait), or a drop (the RPC fails
 * even if it is wait-for-ready). A subchannel result may carry a {@link CallOutcomeListener} that
 * hears how the attempt ended. Immutable; build per-subchannel results once and reuse them.
 */
public final class PickResult {

    private static final PickResult NO_RESULT = new PickResult(null, Status.OK, false, null);

    private final @Nullable Subchannel subchannel;
    private final Status status;
    private final boolean drop;
    private final @Nullable CallOutcomeListener outcomeListener;

    private PickResult(@Nullable Subchannel subchannel, Status status, boolean drop,
            @Nullable CallOutcomeListener outcomeListener) {
        this.subchannel = subchannel;
        this.status = status;
        this.drop = drop;
        this.outcomeListener = outcomeListener;
    }

    /** Send the RPC to {@code subchannel}; if it has no usable connection the RPC is picked again. */
    public static PickResult withSubchannel(Subchannel subchannel) {
        return new PickResult(requireNonNull(subchannel, "subchannel"), Status.OK, false, null);
    }

    /**
     * Send the RPC to {@code subchannel}, and tell {@code outcomeListener} how the attempt ended.
     * Build it once per subchannel, as any result: a pick must not allocate.
     */
    public static PickResult withSubchannel(Subchannel subchannel, CallOutcomeListener outcomeListener) {
        return new PickResult(requireNonNull(subchannel, "subchannel"), Status.OK, false,
                requireNonNull(outcomeListener, "outcomeListener"));
    }

    /** No decision yet: the RPC waits for a new picker. */
    public static PickResult withNoResult() {
        return NO_RESULT;
    }

    /** Fail fail-fast RPCs with {@code error}; wait-for-ready RPCs keep waiting. */
    public static PickResult withError(Status error) {
        requireNonNull(error, "error");
        if (error.isOk()) {
            throw new IllegalArgumentException("An error pick needs a non-OK status");
        }
        return new PickResult(null, error, false, null);
    }

    /** Fail the RPC with {@code error}, wait-for-ready or not. */
    public static PickResult withDrop(Status error) {
        requireNonNull(error, "error");
        if (error.isOk()) {
            throw new IllegalArgumentException("A drop needs a non-OK status");
        }
        return new PickResult(null, error, true, null);
    }

    public @Nullable Subchannel subchannel() {
        return subchannel;
    }

    /** OK for a subchannel or no result; the error otherwise. */
    public Status status() {
        return status;
    }

    public boolean isDrop() {
        return drop;
    }

    /** Who hears how the picked attempt ends, or {@code null}: only with a subchannel. */
    public @Nullable CallOutcomeListener outcomeListener() {
        return outcomeListener;
    }

    @Override
    public String toString() {
        return subchannel != null ? "PickResult{" + subchannel + "}"
                : status.isOk() ? "PickResult{no result}"
                : "PickResult{" + (drop ? "drop " : "error ") + status + "}";
    }
}
