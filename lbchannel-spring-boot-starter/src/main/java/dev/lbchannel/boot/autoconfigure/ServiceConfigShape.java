package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The shape of gRPC's service config (service_config.md, service_config.proto) as far as the
 * YAML conversion needs it: which fields are objects, lists, booleans, numbers, byte counts,
 * durations or status codes, so that Spring's bound strings, flattened lists and empty values
 * become the JSON types gRPC expects, and which fields exist, so that a misspelt one is named
 * rather than ignored. Immutable; the schema is built once.
 */
final class ServiceConfigShape {

    enum Kind {
        /** An object with known fields; an unknown field is a mistake to name. */
        OBJECT,
        /** A list whose elements have {@link #element()}'s shape. */
        LIST,
        STRING,
        BOOLEAN,
        NUMBER,
        /** A whole number of bytes; also takes Spring's data sizes, such as {@code 4MB}. */
        BYTES,
        /** A proto3 JSON duration; also takes Spring's forms ({@code 500ms}, {@code PT2S}, a bare number of milliseconds). */
        DURATION,
        /** A status code name or number. */
        STATUS_CODE,
        /** {@code loadBalancingConfig}: single-key objects, policy name to that policy's own config. */
        POLICIES,
        /** Anything, passed through with its keys exactly as written; flattened lists are rebuilt. */
        RAW
    }

    static final ServiceConfigShape RAW = new ServiceConfigShape(Kind.RAW, Map.of(), null);

    /** The service config itself. */
    static final ServiceConfigShape ROOT;

    /** The config blocks of the built-in policies, by policy name; other policies' blocks are {@link #RAW}. */
    static final Map<String, ServiceConfigShape> POLICY_CONFIGS;

    static {
        ServiceConfigShape name = object(Map.of("service", scalar(Kind.STRING), "method", scalar(Kind.STRING)));
        ServiceConfigShape codes = list(scalar(Kind.STATUS_CODE));
        Map<String, ServiceConfigShape> retry = new LinkedHashMap<>();
        retry.put("maxAttempts", scalar(Kind.NUMBER));
        retry.put("initialBackoff", scalar(Kind.DURATION));
        retry.put("maxBackoff", scalar(Kind.DURATION));
        retry.put("backoffMultiplier", scalar(Kind.NUMBER));
        retry.put("retryableStatusCodes", codes);
        retry.put("perAttemptRecvTimeout", scalar(Kind.DURATION));
        Map<String, ServiceConfigShape> hedging = Map.of(
                "maxAttempts", scalar(Kind.NUMBER),
                "hedgingDelay", scalar(Kind.DURATION),
                "nonFatalStatusCodes", codes);
        Map<String, ServiceConfigShape> method = new LinkedHashMap<>();
        method.put("name", list(name));
        method.put("waitForReady", scalar(Kind.BOOLEAN));
        method.put("timeout", scalar(Kind.DURATION));
        method.put("maxRequestMessageBytes", scalar(Kind.BYTES));
        method.put("maxResponseMessageBytes", scalar(Kind.BYTES));
        method.put("retryPolicy", object(retry));
        method.put("hedgingPolicy", object(hedging));
        Map<String, ServiceConfigShape> root = new LinkedHashMap<>();
        root.put("loadBalancingConfig", scalar(Kind.POLICIES));
        root.put("loadBalancingPolicy", scalar(Kind.STRING));
        root.put("methodConfig", list(object(method)));
        root.put("retryThrottling", object(Map.of("maxTokens", scalar(Kind.NUMBER), "tokenRatio", scalar(Kind.NUMBER))));
        root.put("healthCheckConfig", object(Map.of("serviceName", scalar(Kind.STRING))));
        ROOT = object(root);
        ServiceConfigShape leastRequest = object(Map.of("choiceCount", scalar(Kind.NUMBER),
                "slowStartConfig", slowStart()));
        ServiceConfigShape ringHash = object(Map.of("minRingSize", scalar(Kind.NUMBER),
                "maxRingSize", scalar(Kind.NUMBER), "requestHashHeader", scalar(Kind.STRING)));
        ServiceConfigShape randomSubsetting = object(Map.of("subsetSize", scalar(Kind.NUMBER),
                "childPolicy", scalar(Kind.POLICIES)));
        Map<String, ServiceConfigShape> policies = new LinkedHashMap<>();
        policies.put("pick_first", object(Map.of("shuffleAddressList", scalar(Kind.BOOLEAN))));
        policies.put("round_robin", object(Map.of("slowStartConfig", slowStart())));
        policies.put("outlier_detection", outlierDetection());
        policies.put("least_request", leastRequest);             // gRFC A48, under both its names
        policies.put("least_request_experimental", leastRequest);
        policies.put("ring_hash", ringHash);                     // gRFC A42 with A76's header, under both its names
        policies.put("ring_hash_experimental", ringHash);
        policies.put("weighted_round_robin", weightedRoundRobin());
        policies.put("random_subsetting", randomSubsetting);     // gRFC A68, under both its names
        policies.put("random_subsetting_experimental", randomSubsetting);
        policies.put("peak_ewma", object(Map.of("decayTime", scalar(Kind.DURATION),
                "choiceCount", scalar(Kind.NUMBER), "penaltyLatency", scalar(Kind.DURATION))));
        POLICY_CONFIGS = Map.copyOf(policies);
    }

    /** Ours, Envoy's slow start, in round_robin's, least_request's and weighted_round_robin's blocks. */
    private static ServiceConfigShape slowStart() {
        return object(Map.of("slowStartWindow", scalar(Kind.DURATION), "aggression", scalar(Kind.NUMBER),
                "minWeightPercent", scalar(Kind.NUMBER)));
    }

    /** gRFC A58's block, with A114's metric names. */
    private static ServiceConfigShape weightedRoundRobin() {
        ServiceConfigShape duration = scalar(Kind.DURATION);
        Map<String, ServiceConfigShape> block = new LinkedHashMap<>();
        block.put("blackoutPeriod", duration);
        block.put("weightExpirationPeriod", duration);
        block.put("weightUpdatePeriod", duration);
        block.put("errorUtilizationPenalty", scalar(Kind.NUMBER));
        block.put("enableOobLoadReport", scalar(Kind.BOOLEAN));
        block.put("oobReportingPeriod", duration);
        block.put("metricNamesForComputingUtilization", list(scalar(Kind.STRING)));
        block.put("slowStartConfig", slowStart());
        return object(block);
    }

    /** gRFC A50's block; its {@code childPolicy} is a policy list like {@code loadBalancingConfig}. */
    private static ServiceConfigShape outlierDetection() {
        ServiceConfigShape number = scalar(Kind.NUMBER);
        Map<String, ServiceConfigShape> block = new LinkedHashMap<>();
        block.put("interval", scalar(Kind.DURATION));
        block.put("baseEjectionTime", scalar(Kind.DURATION));
        block.put("maxEjectionTime", scalar(Kind.DURATION));
        block.put("maxEjectionPercent", number);
        block.put("successRateEjection", object(Map.of("stdevFactor", number, "enforcementPercentage", number,
                "minimumHosts", number, "requestVolume", number)));
        block.put("failurePercentageEjection", object(Map.of("threshold", number, "enforcementPercentage", number,
                "minimumHosts", number, "requestVolume", number)));
        block.put("childPolicy", scalar(Kind.POLICIES));
        return object(block);
    }

    private final Kind kind;
    private final Map<String, ServiceConfigShape> fields;
    private final @Nullable ServiceConfigShape element;

    private ServiceConfigShape(Kind kind, Map<String, ServiceConfigShape> fields, @Nullable ServiceConfigShape element) {
        this.kind = kind;
        this.fields = fields;
        this.element = element;
    }

    static ServiceConfigShape object(Map<String, ServiceConfigShape> fields) {
        return new ServiceConfigShape(Kind.OBJECT, Map.copyOf(fields), null);
    }

    static ServiceConfigShape list(ServiceConfigShape element) {
        return new ServiceConfigShape(Kind.LIST, Map.of(), element);
    }

    static ServiceConfigShape scalar(Kind kind) {
        return new ServiceConfigShape(kind, Map.of(), null);
    }

    Kind kind() {
        return kind;
    }

    /** The shape of a field of this object, or {@code null} for a field gRPC's schema does not have. */
    @Nullable ServiceConfigShape field(String camelCaseName) {
        return fields.get(camelCaseName);
    }

    /** The fields this object has, in camelCase. */
    Set<String> fieldNames() {
        return fields.keySet();
    }

    ServiceConfigShape element() {
        return element != null ? element : RAW;
    }

    /** The shape of a policy's config block: the built-in's, else {@link #RAW}. */
    static ServiceConfigShape policyConfig(String policyName) {
        return POLICY_CONFIGS.getOrDefault(policyName, RAW);
    }
}
