package dev.lbchannel.config;

import dev.lbchannel.balancer.BalancerRegistry;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A validated gRPC service config (gRPC's service_config.md and service_config.proto; gRFCs
 * A6, A17, A21, A24): the load-balancing policy, per-method settings, retry throttling and the
 * health-check service name. {@link #parse} validates every field it knows and ignores fields
 * it does not, for forward compatibility; a known field with a wrong type or value rejects the
 * whole config with an {@link InvalidServiceConfigException}, so the channel can keep its last
 * good one (A21). Immutable and thread-safe; equal when their {@link #json()} is equal.
 */
public final class ServiceConfig {

    private static final ServiceConfig EMPTY =
            new ServiceConfig(Map.of(), null, MethodConfigs.NONE, null, null);

    /** Top-level fields validated but not acted on: none since health checking (A17) is performed. */
    private static final List<String> UNPERFORMED_FIELDS = List.of();

    private final Map<String, ?> json;
    private final @Nullable LbPolicySelection lbPolicy;
    private final MethodConfigs methodConfigs;
    private final @Nullable RetryThrottling retryThrottling;
    private final @Nullable String healthCheckServiceName;

    private ServiceConfig(Map<String, ?> json, @Nullable LbPolicySelection lbPolicy, MethodConfigs methodConfigs,
            @Nullable RetryThrottling retryThrottling, @Nullable String healthCheckServiceName) {
        this.json = json;
        this.lbPolicy = lbPolicy;
        this.methodConfigs = methodConfigs;
        this.retryThrottling = retryThrottling;
        this.healthCheckServiceName = healthCheckServiceName;
    }

    /**
     * Validates a service config in JSON shape (as {@link Json#parseObject} returns it, or built
     * in code: any {@code Number}, {@code Map}, {@code List}, {@code String}, {@code Boolean}).
     *
     * @param balancers the policies {@code loadBalancingConfig} may choose from; the chosen
     *                  one's block is checked by its {@code parseConfig}
     * @throws InvalidServiceConfigException naming the field path and the rule, e.g.
     *         {@code "Invalid service config: methodConfig[1].retryPolicy.maxAttempts must be at
     *         least 2, was 1"}
     */
    public static ServiceConfig parse(Map<String, ?> json, BalancerRegistry balancers) {
        requireNonNull(json, "json");
        requireNonNull(balancers, "balancers");
        Map<String, Object> copy = JsonTree.copyOf(json);
        ConfigNode root = ConfigNode.root(copy);
        LbPolicySelection lbPolicy = LbPolicyParser.parse(root, balancers);
        ConfigNode methodConfig = root.field("methodConfig");
        MethodConfigs methodConfigs =
                methodConfig.isPresent() ? MethodConfigParser.parse(methodConfig) : MethodConfigs.NONE;
        ConfigNode throttling = root.field("retryThrottling");
        RetryThrottling retryThrottling =
                throttling.isPresent() ? RetryPolicyParser.retryThrottling(throttling) : null;
        return new ServiceConfig(copy, lbPolicy, methodConfigs, retryThrottling, healthCheckServiceName(root));
    }

    /**
     * Reads and validates a service config from JSON text, such as a {@code grpc_config} TXT
     * record's chosen {@code serviceConfig} or a {@code service-config-json} property.
     *
     * @throws IllegalArgumentException if the text is not a JSON object ("Invalid JSON at ...")
     *         or the config is invalid ("Invalid service config: ...")
     */
    public static ServiceConfig parseJson(String json, BalancerRegistry balancers) {
        return parse(Json.parseObject(requireNonNull(json, "json")), balancers);
    }

    /** The empty config: no policy, no method configs, no throttling, no health check. */
    public static ServiceConfig empty() {
        return EMPTY;
    }

    /** The policy the config selects, or {@code null} when it names none. */
    public @Nullable LbPolicySelection lbPolicy() {
        return lbPolicy;
    }

    /**
     * The settings for one method, {@code pkg.Service/Method}: the entry naming that method, else
     * the one naming its service, else the default entry (a name {@code {}}), else
     * {@link MethodConfig#EMPTY}. Cheap enough for every call.
     */
    public MethodConfig methodConfig(String fullMethodName) {
        return methodConfigs.lookup(requireNonNull(fullMethodName, "fullMethodName"));
    }

    /**
     * The same for a method whose service name the caller has ({@code MethodDescriptor}'s, or
     * {@code null} when it has none): the lookup of every call, which allocates nothing.
     */
    public MethodConfig methodConfig(String fullMethodName, @Nullable String serviceName) {
        return methodConfigs.lookup(requireNonNull(fullMethodName, "fullMethodName"), serviceName);
    }

    /** The channel-wide retry throttle, or {@code null} when retries are not throttled. */
    public @Nullable RetryThrottling retryThrottling() {
        return retryThrottling;
    }

    /**
     * The service name for client-side health checks (gRFC A17
     * {@code healthCheckConfig.serviceName}; {@code ""} asks for the server's overall health),
     * or {@code null} when the config asks for no health checking.
     */
    public @Nullable String healthCheckServiceName() {
        return healthCheckServiceName;
    }

    /**
     * The fields of this config that lbchannel accepts and validates but does not act on yet;
     * empty when it acts on all of them, as it now does on every field it knows. The channel
     * traces them as a warning, so that none is silently ignored.
     */
    public List<String> unperformedFields() {
        List<String> fields = new ArrayList<>();
        for (String field : UNPERFORMED_FIELDS) {
            if (json.containsKey(field)) {
                fields.add(field);
            }
        }
        return fields;
    }

    /**
     * The JSON this config was parsed from, as an unmodifiable deep copy in {@link Json}'s
     * shapes (every number a {@code Double}).
     */
    public Map<String, ?> json() {
        return json;
    }

    private static @Nullable String healthCheckServiceName(ConfigNode root) {
        ConfigNode healthCheck = root.field("healthCheckConfig");
        if (!healthCheck.isPresent()) {
            return null;
        }
        ConfigNode serviceName = healthCheck.field("serviceName");
        return serviceName.isPresent() ? serviceName.asString() : null;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof ServiceConfig that && json.equals(that.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "ServiceConfig" + Json.write(json);
    }
}
