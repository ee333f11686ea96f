/**
 * The reliability suite: faults a client meets in production (a backend killed, shut down
 * gracefully, slow), driven at a steady load against lbchannel and grpc-java's own client side
 * by side. Backends run in JVMs of their own ({@link dev.lbchannel.reliability.BackendProcess});
 * {@link dev.lbchannel.reliability.LoadDriver} issues calls at a fixed rate and records each.
 * It may depend on the shared test helpers in {@code dev.lbchannel.testing}.
 */
@NullMarked
package dev.lbchannel.reliability;

import org.jspecify.annotations.NullMarked;
