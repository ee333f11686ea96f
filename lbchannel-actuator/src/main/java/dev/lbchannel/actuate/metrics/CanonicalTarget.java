package dev.lbchannel.actuate.metrics;

import dev.lbchannel.target.Target;

/**
 * The {@code grpc.target} tag: the target with its scheme, as gRFC A66 asks; a target written
 * without one ({@code 10.0.0.7:8443}) resolves with {@code dns}, as the channel does.
 */
final class CanonicalTarget {

    private CanonicalTarget() {
    }

    static String of(String target) {
        return Target.parse(target) == null ? "dns:///" + target : target;
    }
}
