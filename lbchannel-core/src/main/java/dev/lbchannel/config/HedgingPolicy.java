package dev.lbchannel.config;

import io.grpc.Status;

import java.time.Duration;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * How a method's calls are hedged (gRFC A6 {@code hedgingPolicy}): the first attempt goes at
 * once, each further one {@code hedgingDelay} later (or at once when an attempt fails with a
 * non-fatal code), up to {@code maxAttempts} in all; the first response wins. Immutable.
 *
 * @param maxAttempts         attempts in all, the first included: 2 to 5 (a config's larger
 *                            value is capped at 5)
 * @param hedgingDelay        non-negative; zero (the default) sends all attempts at once
 * @param nonFatalStatusCodes the codes after which the other attempts go on; any other code
 *                            ends the call; possibly empty, unmodifiable
 */
public record HedgingPolicy(int maxAttempts, Duration hedgingDelay, Set<Status.Code> nonFatalStatusCodes) {

    public HedgingPolicy {
        requireNonNull(hedgingDelay, "hedgingDelay");
        nonFatalStatusCodes = StatusCodes.immutableCopy(requireNonNull(nonFatalStatusCodes, "nonFatalStatusCodes"));
    }
}
