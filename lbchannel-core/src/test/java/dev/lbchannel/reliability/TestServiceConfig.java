package dev.lbchannel.reliability;

import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The service config of the reliability tests, in one place: {@code round_robin} and, for every
 * method of {@code grpc.testing.TestService}, the policies a test adds. {@link #json()} is the
 * JSON map both {@code LbChannelBuilder.defaultServiceConfig} and grpc-java's accept, so its
 * numbers are {@link Double}s (grpc-java rejects other number types) and its durations gRPC's
 * decimal seconds ({@code "0.1s"}).
 *
 * <pre>{@code
 * Map<String, ?> config = TestServiceConfig.roundRobin()
 *         .retryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2, Status.Code.UNAVAILABLE)
 *         .json();
 * }</pre>
 */
public final class TestServiceConfig {

    public static final String SERVICE = "grpc.testing.TestService";

    private @Nullable Map<String, Object> retryPolicy;

    private TestServiceConfig() {
    }

    /** {@code {"loadBalancingConfig":[{"round_robin":{}}]}} and no method policy yet. */
    public static TestServiceConfig roundRobin() {
        return new TestServiceConfig();
    }

    /** A {@code retryPolicy} (gRFC A6) on every method of the service. */
    public TestServiceConfig retryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff,
            double backoffMultiplier, Status.Code... retryableStatusCodes) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("maxAttempts", (double) maxAttempts);
        policy.put("initialBackoff", seconds(initialBackoff));
        policy.put("maxBackoff", seconds(maxBackoff));
        policy.put("backoffMultiplier", backoffMultiplier);
        policy.put("retryableStatusCodes", Arrays.stream(retryableStatusCodes).map(Enum::name).toList());
        this.retryPolicy = policy;
        return this;
    }

    /** The service config as gRPC's JSON, in maps and lists. */
    public Map<String, ?> json() {
        Map<String, Object> methodConfig = new LinkedHashMap<>();
        methodConfig.put("name", List.of(Map.of("service", SERVICE)));
        if (retryPolicy != null) {
            methodConfig.put("retryPolicy", retryPolicy);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("loadBalancingConfig", List.of(Map.of("round_robin", Map.of())));
        config.put("methodConfig", List.of(methodConfig));
        return config;
    }

    @Override
    public String toString() {
        return json().toString();
    }

    private static String seconds(Duration duration) {
        requireNonNull(duration, "duration");
        return BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
    }
}
