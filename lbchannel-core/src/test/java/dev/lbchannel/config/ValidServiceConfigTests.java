package dev.lbchannel.config;

import io.grpc.Status.Code;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.lbchannel.config.TestBalancerProvider.pickFirst;
import static dev.lbchannel.config.TestBalancerProvider.selection;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configs from gRPC's docs and gRFCs (and the edge cases their rules allow), each with what it
 * must parse into.
 */
@Timeout(10)
class ValidServiceConfigTests {

    private static final RetryPolicy A6_RETRY = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1), 2,
            Set.of(Code.UNAVAILABLE), null);
    private static final Set<Code> A6_NON_FATAL = Set.of(Code.UNAVAILABLE, Code.INTERNAL, Code.ABORTED);

    static Stream<ValidCase> documentedConfigs() {
        return Stream.of(
                valid("service_config.md example: round_robin, one method and one service", """
                        {
                          "loadBalancingConfig": [ { "round_robin": {} } ],
                          "methodConfig": [
                            {
                              "name": [
                                { "service": "foo", "method": "bar" },
                                { "service": "baz" }
                              ],
                              "timeout": "1.000000001s"
                            }
                          ]
                        }""")
                        .lbPolicy(selection("round_robin"))
                        .method("foo/bar", timeout(Duration.ofSeconds(1, 1)))
                        .method("baz/anything", timeout(Duration.ofSeconds(1, 1)))
                        .method("foo/other", MethodConfig.EMPTY),
                valid("A6 retry policy", """
                        {"methodConfig": [{
                          "name": [{"service": "helloworld.Greeter"}],
                          "retryPolicy": {
                            "maxAttempts": 4,
                            "initialBackoff": "0.1s",
                            "maxBackoff": "1s",
                            "backoffMultiplier": 2,
                            "retryableStatusCodes": ["UNAVAILABLE"]
                          }
                        }]}""")
                        .method("helloworld.Greeter/SayHello", new MethodConfig(null, null, null, null, A6_RETRY, null)),
                valid("A6 hedging policy with a delay", """
                        {"methodConfig": [{
                          "name": [{"service": "s", "method": "m"}],
                          "hedgingPolicy": {
                            "maxAttempts": 4,
                            "hedgingDelay": "0.5s",
                            "nonFatalStatusCodes": ["UNAVAILABLE", "INTERNAL", "ABORTED"]
                          }
                        }]}""")
                        .method("s/m", hedging(new HedgingPolicy(4, Duration.ofMillis(500), A6_NON_FATAL))),
                valid("A6 hedging policy sending all attempts at once", """
                        {"methodConfig": [{
                          "name": [{"service": "s"}],
                          "hedgingPolicy": {
                            "maxAttempts": 4,
                            "hedgingDelay": "0s",
                            "nonFatalStatusCodes": ["UNAVAILABLE", "INTERNAL", "ABORTED"]
                          }
                        }]}""")
                        .method("s/m", hedging(new HedgingPolicy(4, Duration.ZERO, A6_NON_FATAL))),
                valid("A6 hedging policy with only maxAttempts", """
                        {"methodConfig": [{"name": [{"service": "s"}], "hedgingPolicy": {"maxAttempts": 2}}]}""")
                        .method("s/m", hedging(new HedgingPolicy(2, Duration.ZERO, Set.of()))),
                valid("A6 retry throttling", """
                        {"retryThrottling": {"maxTokens": 10, "tokenRatio": 0.1}}""")
                        .throttling(new RetryThrottling(10, 0.1)),
                valid("A6: maxAttempts above 5 is treated as 5; codes by number or in lower case", """
                        {"methodConfig": [{
                          "name": [{"service": "s"}],
                          "retryPolicy": {"maxAttempts": 10, "initialBackoff": "0.000000001s", "maxBackoff": "3s",
                                          "backoffMultiplier": 1.5, "retryableStatusCodes": [14, "unavailable", "Aborted"],
                                          "perAttemptRecvTimeout": "0.25s"}
                        }, {
                          "name": [{"service": "h"}],
                          "hedgingPolicy": {"maxAttempts": 6, "nonFatalStatusCodes": [13]}
                        }]}""")
                        .method("s/m", retry(new RetryPolicy(5, Duration.ofNanos(1), Duration.ofSeconds(3), 1.5,
                                Set.of(Code.UNAVAILABLE, Code.ABORTED), Duration.ofMillis(250))))
                        .method("h/m", hedging(new HedgingPolicy(5, Duration.ZERO, Set.of(Code.INTERNAL)))),
                valid("A6: token ratio decimal places beyond 3 are ignored; maxTokens at its limit", """
                        {"retryThrottling": {"maxTokens": 1000, "tokenRatio": 0.5466}}""")
                        .throttling(new RetryThrottling(1000, 0.546)),
                valid("A6: token ratio is cut in decimal, not binary", """
                        {"retryThrottling": {"maxTokens": 1, "tokenRatio": 4.35}}""")
                        .throttling(new RetryThrottling(1, 4.35)),
                valid("A2 example from a TXT record: the deprecated loadBalancingPolicy", """
                        {"loadBalancingPolicy":"round_robin","methodConfig":[{"name":[{"service":"MyService","method":"Foo"}],\
                        "waitForReady":true}]}""")
                        .lbPolicy(selection("round_robin"))
                        .method("MyService/Foo", new MethodConfig(null, true, null, null, null, null))
                        .method("MyService/Bar", MethodConfig.EMPTY),
                valid("service_config.proto enum spelling ROUND_ROBIN", """
                        {"loadBalancingPolicy": "ROUND_ROBIN"}""")
                        .lbPolicy(selection("round_robin")),
                valid("A17 health check config", """
                        {"healthCheckConfig": {"serviceName": "grpc.health.v1.Health"}}""")
                        .healthCheck("grpc.health.v1.Health"),
                valid("A17: an empty service name asks for the server's overall health", """
                        {"healthCheckConfig": {"serviceName": ""}}""")
                        .healthCheck(""),
                valid("A17: health check config without a name checks nothing", """
                        {"healthCheckConfig": {}}"""),
                valid("A21: unknown fields are ignored, at every level", """
                        {"UnknownField": "value", "methodConfig": [], "connectionScaling": {"x": 1},
                         "retryThrottling": {"maxTokens": 3, "tokenRatio": 1, "future": true},
                         "loadBalancingConfig": [{"pick_first": {"later": []}}]}""")
                        .lbPolicy(pickFirst(false))
                        .throttling(new RetryThrottling(3, 1)),
                valid("A24: the first registered policy wins; unknown ones before it are skipped", """
                        {"loadBalancingConfig": [{"grpclb": {"childPolicy": 7}}, {"pick_first": {"shuffleAddressList": true}},
                                                 {"round_robin": {}}]}""")
                        .lbPolicy(pickFirst(true)),
                valid("loadBalancingConfig wins over loadBalancingPolicy", """
                        {"loadBalancingPolicy": "no_such_policy", "loadBalancingConfig": [{"test_policy": {"weight": 3}}]}""")
                        .lbPolicy(new LbPolicySelection("test_policy", new TestBalancerProvider.TestConfig("test_policy", 3))),
                valid("an empty loadBalancingConfig names no policy", """
                        {"loadBalancingConfig": []}"""),
                valid("service_config.proto: default, service and method entries", """
                        {"methodConfig": [
                          {"name": [{}], "timeout": "30s"},
                          {"name": [{"service": "MyService"}], "timeout": "20s"},
                          {"name": [{"service": "MyService", "method": "Foo"}], "timeout": "10s"}
                        ]}""")
                        .method("MyService/Foo", timeout(Duration.ofSeconds(10)))
                        .method("MyService/Bar", timeout(Duration.ofSeconds(20)))
                        .method("AnotherService/Baz", timeout(Duration.ofSeconds(30)))
                        .method("unmentioned.Service/Method", timeout(Duration.ofSeconds(30))),
                valid("service_config.proto: \"\", null and absent name parts are the same", """
                        {"methodConfig": [
                          {"name": [{"service": "", "method": null}], "waitForReady": false},
                          {"name": [{"service": "s", "method": ""}], "waitForReady": true}
                        ]}""")
                        .method("s/m", new MethodConfig(null, true, null, null, null, null))
                        .method("t/m", new MethodConfig(null, false, null, null, null, null))
                        .method("unmentioned.Service/Method", new MethodConfig(null, false, null, null, null, null)),
                valid("service_config.proto: an entry without names applies to nothing", """
                        {"methodConfig": [{"timeout": "1s"}, {"name": [], "timeout": "2s"}]}""")
                        .method("s/m", MethodConfig.EMPTY),
                valid("message limits: 0 means empty messages; beyond int they are capped", """
                        {"methodConfig": [{"name": [{"service": "s"}], "maxRequestMessageBytes": 0,
                                           "maxResponseMessageBytes": 4294967295, "timeout": "0s"}]}""")
                        .method("s/m", new MethodConfig(Duration.ZERO, null, 0, Integer.MAX_VALUE, null, null)),
                valid("proto3 JSON: numbers may come as strings, null is absent", """
                        {"methodConfig": [{"name": [{"service": "s"}], "maxRequestMessageBytes": "1024",
                                           "maxResponseMessageBytes": "2e3", "waitForReady": null, "retryPolicy": null}],
                         "retryThrottling": {"maxTokens": "10", "tokenRatio": "0.5"}, "healthCheckConfig": null,
                         "loadBalancingConfig": null, "loadBalancingPolicy": null}""")
                        .method("s/m", new MethodConfig(null, null, 1024, 2000, null, null))
                        .throttling(new RetryThrottling(10, 0.5)),
                valid("durations beyond what nanoseconds in a long can hold are capped (about 292 years)", """
                        {"methodConfig": [{"name": [{}], "timeout": "315576000000s"}]}""")
                        .method("unmentioned.Service/Method", timeout(Duration.ofNanos(Long.MAX_VALUE))),
                valid("the empty config", "{}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedConfigs")
    void parsesDocumentedConfig(ValidCase row) {
        ServiceConfig config = ServiceConfig.parseJson(row.json, TestBalancerProvider.registry());

        assertThat(config.lbPolicy()).isEqualTo(row.lbPolicy);
        row.methods.forEach((method, expected) ->
                assertThat(config.methodConfig(method)).as(method).isEqualTo(expected));
        assertThat(config.retryThrottling()).isEqualTo(row.throttling);
        assertThat(config.healthCheckServiceName()).isEqualTo(row.healthCheck);
        assertThat(config.json()).isEqualTo(Json.parse(row.json));
    }

    @Test
    void emptyConfigSaysNothing() {
        ServiceConfig empty = ServiceConfig.empty();

        assertThat(empty.lbPolicy()).isNull();
        assertThat(empty.methodConfig("s/m")).isSameAs(MethodConfig.EMPTY);
        assertThat(empty.retryThrottling()).isNull();
        assertThat(empty.healthCheckServiceName()).isNull();
        assertThat(empty.json()).isEmpty();
        assertThat(empty).isEqualTo(ServiceConfig.parse(Map.of(), TestBalancerProvider.registry()));
    }

    @Test
    void configBuiltInCodeEqualsTheSameConfigReadFromText() {
        Map<String, Object> retry = new LinkedHashMap<>();
        retry.put("maxAttempts", 3);
        retry.put("initialBackoff", "1s");
        retry.put("maxBackoff", "2s");
        retry.put("backoffMultiplier", 2L);
        retry.put("retryableStatusCodes", List.of("UNAVAILABLE"));
        Map<String, Object> json = Map.of("methodConfig",
                List.of(Map.of("name", List.of(Map.of("service", "s")), "retryPolicy", retry)));

        ServiceConfig fromCode = ServiceConfig.parse(json, TestBalancerProvider.registry());
        ServiceConfig fromText = ServiceConfig.parseJson("""
                {"methodConfig": [{"name": [{"service": "s"}], "retryPolicy": {"maxAttempts": 3, "initialBackoff": "1s",
                 "maxBackoff": "2s", "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]}}]}""",
                TestBalancerProvider.registry());

        assertThat(fromCode).isEqualTo(fromText).hasSameHashCodeAs(fromText);
        assertThat(fromCode.methodConfig("s/m").retryPolicy()).isNotNull();
        assertThat(fromCode).isNotEqualTo(ServiceConfig.empty());
    }

    @Test
    void keepsAnUnmodifiableCopyOfItsJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> throttling = new LinkedHashMap<>();
        throttling.put("maxTokens", 10);
        throttling.put("tokenRatio", 0.1);
        json.put("retryThrottling", throttling);
        ServiceConfig config = ServiceConfig.parse(json, TestBalancerProvider.registry());
        json.put("methodConfig", List.of());

        assertThat(config.json()).containsOnlyKeys("retryThrottling");
        assertThat(config.json().get("retryThrottling")).isEqualTo(Map.of("maxTokens", 10.0, "tokenRatio", 0.1));
        assertThat(config).hasToString("ServiceConfig{\"retryThrottling\":{\"maxTokens\":10,\"tokenRatio\":0.1}}");
    }

    @Test
    void statusCodeSetsAreUnmodifiable() {
        RetryPolicy policy = ServiceConfig.parseJson("""
                {"methodConfig": [{"name": [{}], "retryPolicy": {"maxAttempts": 2, "initialBackoff": "1s",
                 "maxBackoff": "1s", "backoffMultiplier": 1, "retryableStatusCodes": ["UNAVAILABLE"]}}]}""",
                TestBalancerProvider.registry()).methodConfig("any/Method").retryPolicy();

        assertThat(policy).isNotNull();
        assertThat(policy.retryableStatusCodes()).containsExactly(Code.UNAVAILABLE).isUnmodifiable();
    }

    private static MethodConfig timeout(Duration timeout) {
        return new MethodConfig(timeout, null, null, null, null, null);
    }

    private static MethodConfig retry(RetryPolicy policy) {
        return new MethodConfig(null, null, null, null, policy, null);
    }

    private static MethodConfig hedging(HedgingPolicy policy) {
        return new MethodConfig(null, null, null, null, null, policy);
    }

    private static ValidCase valid(String title, String json) {
        return new ValidCase(title, json);
    }

    /** One row: a config and what it must parse into. */
    static final class ValidCase {
        final String title;
        final String json;
        @Nullable LbPolicySelection lbPolicy;
        final Map<String, MethodConfig> methods = new LinkedHashMap<>();
        @Nullable RetryThrottling throttling;
        @Nullable String healthCheck;

        ValidCase(String title, String json) {
            this.title = title;
            this.json = json;
            methods.put("unmentioned.Service/Method", MethodConfig.EMPTY);
        }

        ValidCase lbPolicy(LbPolicySelection selection) {
            this.lbPolicy = selection;
            return this;
        }

        ValidCase method(String fullMethodName, MethodConfig expected) {
            methods.put(fullMethodName, expected);
            return this;
        }

        ValidCase throttling(RetryThrottling expected) {
            this.throttling = expected;
            return this;
        }

        ValidCase healthCheck(String serviceName) {
            this.healthCheck = serviceName;
            return this;
        }

        @Override
        public String toString() {
            return title;
        }
    }
}
