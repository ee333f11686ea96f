package dev.lbchannel.balancer;

import io.grpc.Status;

/**
 * Hears how an RPC attempt that a pick placed on a subchannel ended, for policies that judge
 * backends by their results (gRFC A50's outlier detection). Attach one to a
 * {@link PickResult#withSubchannel(Subchannel, CallOutcomeListener) pick result}; the channel
 * calls it exactly once for each attempt whose stream was opened on the picked subchannel, with
 * the attempt's final status. An attempt that never opened a stream (its subchannel lost its
 * connection before, its credentials failed, its call was cancelled first) is not reported, as
 * it never reached the backend.
 *
 * <p>Called on the transport's event loop, concurrently for many attempts: it must be
 * thread-safe, quick and must not block or throw. It should not allocate either, since it runs
 * once per attempt.
 */
@FunctionalInterface
public interface CallOutcomeListener {

    /** The attempt ended with {@code status}: OK, or the error the client saw. */
    void onCallEnded(Status status);
}
