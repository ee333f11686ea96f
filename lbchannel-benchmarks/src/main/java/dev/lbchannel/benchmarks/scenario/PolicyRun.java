package dev.lbchannel.benchmarks.scenario;

import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import io.grpc.LoadBalancerRegistry;
import io.grpc.internal.JsonParser;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * One contestant of a scenario: a client library, a policy name and that policy's JSON config,
 * exactly as it would sit in a service config's {@code loadBalancingConfig}. A policy the client
 * does not have is skipped, not failed, so the run list can name policies still being written.
 *
 * <p>{@code probe}, when set, is a config for the same policy that a policy supporting the run's
 * feature must reject (e.g. {@code {"slowStartConfig": "probe"}}): service config parsers ignore
 * unknown fields, so without it a policy that lacks the feature would run silently without it.
 * Immutable.
 *
 * @param label the name in tables and charts
 */
record PolicyRun(String label, Client client, String policy, String configJson, @Nullable String probe) {

    /** The library on the client side. */
    enum Client {
        LBCHANNEL("lbchannel"), GRPC_JAVA("grpc-java");

        final String display;

        Client(String display) {
            this.display = display;
        }
    }

    static PolicyRun lbchannel(String label, String policy, String configJson) {
        return new PolicyRun(label, Client.LBCHANNEL, policy, configJson, null);
    }

    static PolicyRun grpcJava(String label, String policy, String configJson) {
        return new PolicyRun(label, Client.GRPC_JAVA, policy, configJson, null);
    }

    PolicyRun requiring(String probeJson) {
        return new PolicyRun(label, client, policy, configJson, probeJson);
    }

    /** {@code {"loadBalancingConfig": [{policy: config}]}}. */
    Map<String, ?> serviceConfig() {
        return Map.of("loadBalancingConfig", List.of(Map.of(policy, json(configJson))));
    }

    ScenarioChannel open(List<Integer> ports) {
        return client == Client.LBCHANNEL
                ? ScenarioChannel.lbchannel(ports, serviceConfig())
                : ScenarioChannel.grpcJava(ports, serviceConfig());
    }

    /** Why this run cannot happen on this build, or {@code null} if it can. */
    @Nullable String unavailableReason() {
        if (client == Client.GRPC_JAVA) {
            return LoadBalancerRegistry.getDefaultRegistry().getProvider(policy) == null
                    ? "grpc-java has no policy '" + policy + "' on the class path" : null;
        }
        BalancerProvider provider = BalancerRegistry.builtIns().get(policy);
        if (provider == null) {
            return "lbchannel's registry does not know '" + policy + "'";
        }
        try {
            provider.parseConfig(json(configJson), BalancerRegistry.builtIns());
        } catch (IllegalArgumentException e) {
            return "lbchannel rejects the config: " + e.getMessage();
        }
        if (probe != null) {
            try {
                provider.parseConfig(json(probe), BalancerRegistry.builtIns());
                return "lbchannel's " + policy + " ignores " + probe + ", so it lacks the feature";
            } catch (IllegalArgumentException expected) {
                // It reads the block: the feature is there.
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> json(String text) {
        try {
            return (Map<String, ?>) JsonParser.parse(text);
        } catch (IOException e) {
            throw new UncheckedIOException("Bad JSON in the run list: " + text, e);
        }
    }
}
