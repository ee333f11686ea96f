package dev.lbchannel;

import dev.lbchannel.transport.RpcProgress;

/**
 * How often one call may replay a stream that the server never processed, without counting it as
 * a retry attempt (gRFC A6's transparent retry): a stream that never left this client as often
 * as the call's deadline allows, up to {@value #MAX_LOCAL} times; one the server refused
 * unprocessed once. Guarded by the owning call's lock.
 */
final class TransparentRetry {

    /**
     * Replays of streams that never left this client before the call fails with the last one's
     * status: far more than any real run of going-away connections needs, yet a bound against a
     * fault that refuses every stream at once.
     */
    static final int MAX_LOCAL = 1000;

    private int local;
    private boolean refusedReplayed;

    /** Whether a stream that closed with {@code progress} may be replayed; counts the replay if so. */
    boolean allows(RpcProgress progress) {
        if (progress == RpcProgress.MISCARRIED) {
            return ++local <= MAX_LOCAL;
        }
        if (progress == RpcProgress.REFUSED && !refusedReplayed) {
            refusedReplayed = true;
            return true;
        }
        return false;
    }
}
