package dev.lbchannel.config;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Configs that break a rule of gRPC's schema, each with the message that must name it. */
@Timeout(10)
class InvalidServiceConfigTests {

    private static final String DURATION_RULE =
            "must be a duration in seconds with an 's' suffix and at most 9 fractional digits, such as \"1.5s\"";
    private static final String CODE_RULE = "must be a gRPC status code name or number";
    /** The built-in policies and the test's own, as errors list them. */
    private static final String POLICIES =
            "least_request, least_request_experimental, outlier_detection, peak_ewma, pick_first, random_subsetting,"
                    + " random_subsetting_experimental, ring_hash, ring_hash_experimental,"
                    + " round_robin, test_policy, weighted_round_robin";

    static Stream<Arguments> loadBalancing() {
        return Stream.of(
                // gRFC A21's own examples of invalid configs
                invalid("{\"loadBalancingConfig\": [{\"UnknownPolicy1\": {}}, {\"UnknownPolicy2\": {}}]}",
                        "loadBalancingConfig names no registered policy, was [\"UnknownPolicy1\",\"UnknownPolicy2\"];"
                                + " registered policies: " + POLICIES),
                invalid("{\"loadBalancingPolicy\": \"UnknownPolicy\"}",
                        "loadBalancingPolicy must name a registered policy (" + POLICIES + "), was \"UnknownPolicy\""),
                invalid("{\"loadBalancingPolicy\": 1}", "loadBalancingPolicy must be a string, was 1"),
                invalid("{\"loadBalancingConfig\": {\"round_robin\": {}}}",
                        "loadBalancingConfig must be an array, was {\"round_robin\":{}}"),
                invalid("{\"loadBalancingConfig\": [{\"round_robin\": {}, \"pick_first\": {}}]}",
                        "loadBalancingConfig[0] must have exactly one key, the policy name, "
                                + "was {\"round_robin\":{},\"pick_first\":{}}"),
                invalid("{\"loadBalancingConfig\": [{}]}",
                        "loadBalancingConfig[0] must have exactly one key, the policy name, was {}"),
                invalid("{\"loadBalancingConfig\": [{\"round_robin\": {}}, {\"a\": {}, \"b\": {}}]}",
                        "loadBalancingConfig[1] must have exactly one key, the policy name, was {\"a\":{},\"b\":{}}"),
                invalid("{\"loadBalancingConfig\": [\"round_robin\"]}",
                        "loadBalancingConfig[0] must be an object, was \"round_robin\""),
                invalid("{\"loadBalancingConfig\": [{\"round_robin\": []}]}",
                        "loadBalancingConfig[0].round_robin must be an object, was []"),
                // a provider's own error, wrapped with the path of its block
                invalid("{\"loadBalancingConfig\": [{\"pick_first\": {\"shuffleAddressList\": \"yes\"}}]}",
                        "loadBalancingConfig[0].pick_first: pick_first.shuffleAddressList must be a boolean, was 'yes'"),
                invalid("{\"loadBalancingConfig\": [{\"unknown\": {}}, {\"test_policy\": {\"weight\": -1}}]}",
                        "loadBalancingConfig[1].test_policy: weight must be a positive number, was -1.0"));
    }

    static Stream<Arguments> methodConfig() {
        return Stream.of(
                // A21's "valid" example writes methodConfig as an object; the schema says array
                invalid("{\"methodConfig\": {}}", "methodConfig must be an array, was {}"),
                invalid("{\"methodConfig\": [[]]}", "methodConfig[0] must be an object, was []"),
                invalid("{\"methodConfig\": [{\"name\": {\"service\": \"s\"}}]}",
                        "methodConfig[0].name must be an array, was {\"service\":\"s\"}"),
                invalid("{\"methodConfig\": [{\"name\": [\"s\"]}]}", "methodConfig[0].name[0] must be an object, was \"s\""),
                invalid("{\"methodConfig\": [{\"name\": [{\"service\": 1}]}]}",
                        "methodConfig[0].name[0].service must be a string, was 1"),
                invalid("{\"methodConfig\": [{\"name\": [{\"service\": \"s\", \"method\": true}]}]}",
                        "methodConfig[0].name[0].method must be a string, was true"),
                invalid("{\"methodConfig\": [{\"name\": [{\"service\": \"s\"}, {\"method\": \"m\"}]}]}",
                        "methodConfig[0].name[1] must name a service when it names a method, was {\"method\":\"m\"}"),
                invalid("{\"methodConfig\": [{\"name\": [{\"service\": \"s\", \"method\": \"m\"}, "
                                + "{\"service\": \"s\", \"method\": \"m\"}]}]}",
                        "methodConfig[0].name[1] duplicates the name at methodConfig[0].name[0], "
                                + "was {\"service\":\"s\",\"method\":\"m\"}"),
                invalid("{\"methodConfig\": [{\"name\": [{\"service\": \"s\"}]}, "
                                + "{\"name\": [{\"service\": \"t\"}, {\"service\": \"s\", \"method\": \"\"}]}]}",
                        "methodConfig[1].name[1] duplicates the name at methodConfig[0].name[0], "
                                + "was {\"service\":\"s\",\"method\":\"\"}"),
                invalid("{\"methodConfig\": [{\"name\": [{}]}, {\"name\": [{\"service\": \"\"}]}]}",
                        "methodConfig[1].name[0] duplicates the default name at methodConfig[0].name[0], "
                                + "was {\"service\":\"\"}"),
                invalid(method("\"timeout\": \"-1s\""), "methodConfig[0].timeout must not be negative, was \"-1s\""),
                invalid(method("\"timeout\": \"1m\""), "methodConfig[0].timeout " + DURATION_RULE + ", was \"1m\""),
                invalid(method("\"timeout\": 1"), "methodConfig[0].timeout " + DURATION_RULE + ", was 1"),
                invalid(method("\"timeout\": \"1.0000000001s\""),
                        "methodConfig[0].timeout " + DURATION_RULE + ", was \"1.0000000001s\""),
                invalid(method("\"timeout\": \"315576000001s\""),
                        "methodConfig[0].timeout must be at most 315576000000 seconds, was \"315576000001s\""),
                invalid(method("\"waitForReady\": \"true\""),
                        "methodConfig[0].waitForReady must be true or false, was \"true\""),
                invalid(method("\"maxRequestMessageBytes\": -1"),
                        "methodConfig[0].maxRequestMessageBytes must be a whole number from 0 to 4294967295, was -1"),
                invalid(method("\"maxRequestMessageBytes\": 4294967296"),
                        "methodConfig[0].maxRequestMessageBytes must be a whole number from 0 to 4294967295, "
                                + "was 4294967296"),
                invalid(method("\"maxResponseMessageBytes\": 1.5"),
                        "methodConfig[0].maxResponseMessageBytes must be a whole number, was 1.5"),
                invalid(method("\"maxResponseMessageBytes\": \"lots\""),
                        "methodConfig[0].maxResponseMessageBytes must be a number, was \"lots\""),
                invalid(method("\"retryPolicy\": {}, \"hedgingPolicy\": {}"),
                        "methodConfig[0] must not set both retryPolicy and hedgingPolicy"));
    }

    static Stream<Arguments> retryPolicy() {
        String at = "methodConfig[1].retryPolicy.";
        return Stream.of(
                invalid(retry("maxAttempts", 1), at + "maxAttempts must be at least 2, was 1"),
                invalid(retry("maxAttempts", null), at + "maxAttempts is required"),
                invalid(retry("maxAttempts", 2.5), at + "maxAttempts must be a whole number, was 2.5"),
                invalid(retry("maxAttempts", "two"), at + "maxAttempts must be a number, was \"two\""),
                invalid(retry("initialBackoff", "0s"), at + "initialBackoff must be greater than 0s, was \"0s\""),
                invalid(retry("initialBackoff", null), at + "initialBackoff is required"),
                invalid(retry("initialBackoff", "100ms"), at + "initialBackoff " + DURATION_RULE + ", was \"100ms\""),
                invalid(retry("maxBackoff", "-1s"), at + "maxBackoff must be greater than 0s, was \"-1s\""),
                invalid(retry("maxBackoff", null), at + "maxBackoff is required"),
                invalid(retry("backoffMultiplier", 0), at + "backoffMultiplier must be greater than 0, was 0"),
                invalid(retry("backoffMultiplier", -2), at + "backoffMultiplier must be greater than 0, was -2"),
                invalid(retry("backoffMultiplier", null), at + "backoffMultiplier is required"),
                invalid(retry("retryableStatusCodes", List.of()), at + "retryableStatusCodes must not be empty unless perAttemptRecvTimeout is set, was []"),
                invalid(retry("retryableStatusCodes", null), at + "retryableStatusCodes is required"),
                invalid(retry("retryableStatusCodes", "UNAVAILABLE"),
                        at + "retryableStatusCodes must be an array, was \"UNAVAILABLE\""),
                invalid(retry("retryableStatusCodes", List.of("UNAVAILABLE", "NOT_A_CODE")),
                        at + "retryableStatusCodes[1] " + CODE_RULE + ", was \"NOT_A_CODE\""),
                invalid(retry("retryableStatusCodes", List.of(17)), at + "retryableStatusCodes[0] " + CODE_RULE + ", was 17"),
                invalid(retry("retryableStatusCodes", List.of(14.5)),
                        at + "retryableStatusCodes[0] " + CODE_RULE + ", was 14.5"),
                invalid(retry("retryableStatusCodes", List.of("14")),
                        at + "retryableStatusCodes[0] " + CODE_RULE + ", was \"14\""),
                invalid(retry("perAttemptRecvTimeout", "0s"), at + "perAttemptRecvTimeout must be greater than 0s, was \"0s\""),
                invalid("{\"methodConfig\": [{}, {\"retryPolicy\": \"yes\"}]}",
                        "methodConfig[1].retryPolicy must be an object, was \"yes\""));
    }

    static Stream<Arguments> hedgingPolicy() {
        String at = "methodConfig[0].hedgingPolicy.";
        return Stream.of(
                invalid(method("\"hedgingPolicy\": {\"maxAttempts\": 1}"), at + "maxAttempts must be at least 2, was 1"),
                invalid(method("\"hedgingPolicy\": {}"), at + "maxAttempts is required"),
                invalid(method("\"hedgingPolicy\": {\"maxAttempts\": 3, \"hedgingDelay\": \"-0.5s\"}"),
                        at + "hedgingDelay must not be negative, was \"-0.5s\""),
                invalid(method("\"hedgingPolicy\": {\"maxAttempts\": 3, \"hedgingDelay\": \"soon\"}"),
                        at + "hedgingDelay " + DURATION_RULE + ", was \"soon\""),
                invalid(method("\"hedgingPolicy\": {\"maxAttempts\": 3, \"nonFatalStatusCodes\": [\"unavailable\", \"nope\"]}"),
                        at + "nonFatalStatusCodes[1] " + CODE_RULE + ", was \"nope\""),
                invalid(method("\"hedgingPolicy\": {\"maxAttempts\": 3, \"nonFatalStatusCodes\": {}}"),
                        at + "nonFatalStatusCodes must be an array, was {}"),
                invalid(method("\"hedgingPolicy\": []"), "methodConfig[0].hedgingPolicy must be an object, was []"));
    }

    static Stream<Arguments> throttlingAndHealthCheck() {
        return Stream.of(
                invalid("{\"retryThrottling\": {\"maxTokens\": 0, \"tokenRatio\": 0.1}}",
                        "retryThrottling.maxTokens must be greater than 0 and at most 1000, was 0"),
                invalid("{\"retryThrottling\": {\"maxTokens\": 1001, \"tokenRatio\": 0.1}}",
                        "retryThrottling.maxTokens must be greater than 0 and at most 1000, was 1001"),
                invalid("{\"retryThrottling\": {\"maxTokens\": 10.5, \"tokenRatio\": 0.1}}",
                        "retryThrottling.maxTokens must be a whole number, was 10.5"),
                invalid("{\"retryThrottling\": {\"tokenRatio\": 0.1}}", "retryThrottling.maxTokens is required"),
                invalid("{\"retryThrottling\": {\"maxTokens\": 10, \"tokenRatio\": 0}}",
                        "retryThrottling.tokenRatio must be greater than 0, was 0"),
                invalid("{\"retryThrottling\": {\"maxTokens\": 10, \"tokenRatio\": -0.1}}",
                        "retryThrottling.tokenRatio must be greater than 0, was -0.1"),
                invalid("{\"retryThrottling\": {\"maxTokens\": 10, \"tokenRatio\": 0.0009}}",
                        "retryThrottling.tokenRatio must be at least 0.001 (decimal places beyond 3 are ignored), "
                                + "was 0.0009"),
                invalid("{\"retryThrottling\": {\"maxTokens\": 10}}", "retryThrottling.tokenRatio is required"),
                invalid("{\"retryThrottling\": []}", "retryThrottling must be an object, was []"),
                invalid("{\"healthCheckConfig\": \"svc\"}", "healthCheckConfig must be an object, was \"svc\""),
                invalid("{\"healthCheckConfig\": {\"serviceName\": 1}}",
                        "healthCheckConfig.serviceName must be a string, was 1"));
    }

    @ParameterizedTest
    @MethodSource({"loadBalancing", "methodConfig", "retryPolicy", "hedgingPolicy", "throttlingAndHealthCheck"})
    void rejectsWithPathRuleAndValue(String json, String message) {
        assertThatThrownBy(() -> ServiceConfig.parseJson(json, TestBalancerProvider.registry()))
                .isInstanceOf(InvalidServiceConfigException.class)
                .hasMessage("Invalid service config: " + message);
    }

    @Test
    void exposesThePathAndKeepsTheProvidersError() {
        assertThatThrownBy(() -> ServiceConfig.parseJson(
                "{\"loadBalancingConfig\": [{\"test_policy\": {\"weight\": 0}}]}", TestBalancerProvider.registry()))
                .isInstanceOfSatisfying(InvalidServiceConfigException.class, e ->
                        org.assertj.core.api.Assertions.assertThat(e.path()).isEqualTo("loadBalancingConfig[0].test_policy"))
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("weight must be a positive number, was 0.0");
    }

    @Test
    void cutsLongValuesInMessages() {
        String longName = "x".repeat(500);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServiceConfig.parseJson("{\"loadBalancingPolicy\": \"" + longName + "\"}",
                        TestBalancerProvider.registry()))
                .withMessageEndingWith(", was \"" + "x".repeat(99) + "...");
    }

    @Test
    void rejectsValuesThatAreNotJson() {
        Map<String, Object> json = Map.of("methodConfig", List.of(Map.of("timeout", Duration.ofSeconds(1))));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServiceConfig.parse(json, TestBalancerProvider.registry()))
                .withMessage("Invalid service config: methodConfig[0].timeout must be a JSON value, was a java.time.Duration");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServiceConfig.parse(Map.of("retryThrottling", Map.of("maxTokens", Double.NaN)),
                        TestBalancerProvider.registry()))
                .withMessage("Invalid service config: retryThrottling.maxTokens must be a finite number, was NaN");
    }

    @Test
    void passesJsonSyntaxErrorsThrough() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServiceConfig.parseJson("{\"methodConfig\": [}", TestBalancerProvider.registry()))
                .withMessage("Invalid JSON at line 1, column 19: unexpected '}', expected a value");
    }

    private static Arguments invalid(String json, String message) {
        return arguments(json, message);
    }

    /** One method config, named, with the given fields. */
    private static String method(String fields) {
        return "{\"methodConfig\": [{\"name\": [{\"service\": \"s\"}], " + fields + "}]}";
    }

    /** A valid retry policy in the second method config, with one field replaced (or removed, for null). */
    private static String retry(String field, @Nullable Object value) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("maxAttempts", 2);
        policy.put("initialBackoff", "1s");
        policy.put("maxBackoff", "1s");
        policy.put("backoffMultiplier", 2);
        policy.put("retryableStatusCodes", List.of("UNAVAILABLE"));
        if (value == null) {
            policy.remove(field);
        } else {
            policy.put(field, value);
        }
        return Json.write(Map.of("methodConfig", List.of(
                Map.of("name", List.of(Map.of("service", "a"))),
                Map.of("name", List.of(Map.of("service", "b")), "retryPolicy", policy))));
    }
}
