package dev.lbchannel.balancer.roundrobin;

import dev.lbchannel.balancer.slowstart.SlowStartConfig;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * The parsed {@code round_robin} block: gRPC's is empty; ours may add a
 * {@code slowStartConfig}. Immutable.
 *
 * @param slowStart the ramp for endpoints that become READY once the policy is warm, or
 *     {@code null} for none
 */
public record RoundRobinConfig(@Nullable SlowStartConfig slowStart) {

    /** gRPC's {@code round_robin}: no slow start. */
    public static final RoundRobinConfig DEFAULT = new RoundRobinConfig(null);

    /** Unknown fields are ignored, as everywhere in a service config. */
    public static RoundRobinConfig parse(Map<String, ?> raw) {
        SlowStartConfig slowStart = SlowStartConfig.parse(raw);
        return slowStart == null ? DEFAULT : new RoundRobinConfig(slowStart);
    }
}
