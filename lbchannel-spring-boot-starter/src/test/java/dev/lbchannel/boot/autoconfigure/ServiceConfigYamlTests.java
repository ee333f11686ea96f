package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.config.Json;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ServiceConfigYamlTests {

    private static final String PREFIX = "lbchannel.channels.orders.service-config";

    @Test
    void designDocExampleBecomesGrpcJson() {
        String json = json("""
                loadBalancingConfig: [ { round_robin: {} } ]
                methodConfig:
                  - name: [ { service: orders.v1.Orders } ]
                    timeout: 2s
                    waitForReady: true
                """);
        assertThat(json).isEqualTo("{\"loadBalancingConfig\":[{\"round_robin\":{}}],\"methodConfig\":"
                + "[{\"name\":[{\"service\":\"orders.v1.Orders\"}],\"timeout\":\"2s\",\"waitForReady\":true}]}");
    }

    @Test
    void kebabCaseFieldsBecomeCamelCase() {
        String json = json("""
                load-balancing-config: [ { pick_first: { shuffle-address-list: true } } ]
                method-config:
                  - name: [ { service: a.A } ]
                    wait-for-ready: false
                    max-request-message-bytes: 1024
                    max-response-message-bytes: 2048
                    retry-policy:
                      max-attempts: 3
                      initial-backoff: 100ms
                      max-backoff: 1s
                      backoff-multiplier: 2
                      retryable-status-codes: [ UNAVAILABLE ]
                      per-attempt-recv-timeout: 500ms
                retry-throttling: { max-tokens: 10, token-ratio: 0.5 }
                health-check-config: { service-name: orders }
                """);
        assertThat(json).isEqualTo("{\"loadBalancingConfig\":[{\"pick_first\":{\"shuffleAddressList\":true}}],"
                + "\"methodConfig\":[{\"name\":[{\"service\":\"a.A\"}],\"waitForReady\":false,"
                + "\"maxRequestMessageBytes\":1024,\"maxResponseMessageBytes\":2048,\"retryPolicy\":{\"maxAttempts\":3,"
                + "\"initialBackoff\":\"0.100s\",\"maxBackoff\":\"1s\",\"backoffMultiplier\":2,"
                + "\"retryableStatusCodes\":[\"UNAVAILABLE\"],\"perAttemptRecvTimeout\":\"0.500s\"}}],"
                + "\"retryThrottling\":{\"maxTokens\":10,\"tokenRatio\":0.5},\"healthCheckConfig\":{\"serviceName\":\"orders\"}}");
    }

    @Test
    void outlierDetectionBlockIsTypedAndItsChildPolicyIsAPolicyList() {
        String json = json("""
                load-balancing-config:
                  - outlier_detection:
                      interval: 500ms
                      base-ejection-time: 2s
                      max-ejection-time: PT1M
                      max-ejection-percent: "20"
                      success-rate-ejection: {}
                      failure-percentage-ejection: { threshold: 50, request-volume: "10" }
                      child-policy: [ { round_robin: {} } ]
                """);
        assertThat(json).isEqualTo("{\"loadBalancingConfig\":[{\"outlier_detection\":{\"interval\":\"0.500s\","
                + "\"baseEjectionTime\":\"2s\",\"maxEjectionTime\":\"60s\",\"maxEjectionPercent\":20,"
                + "\"successRateEjection\":{},\"failurePercentageEjection\":{\"threshold\":50,\"requestVolume\":10},"
                + "\"childPolicy\":[{\"round_robin\":{}}]}}]}");
    }

    @Test
    void hedgingPolicyFieldsAreTyped() {
        String json = json("""
                method-config:
                  - name: [ {} ]
                    hedging-policy: { max-attempts: "3", hedging-delay: 50, non-fatal-status-codes: "UNAVAILABLE, 14" }
                """);
        assertThat(json).isEqualTo("{\"methodConfig\":[{\"name\":[{}],\"hedgingPolicy\":{\"maxAttempts\":3,"
                + "\"hedgingDelay\":\"0.050s\",\"nonFatalStatusCodes\":[\"UNAVAILABLE\",14]}}]}");
    }

    @Test
    void emptyNameObjectIsRebuilt() {
        assertThat(json("methodConfig: [ { name: [ {} ], timeout: 1s } ]"))
                .isEqualTo("{\"methodConfig\":[{\"name\":[{}],\"timeout\":\"1s\"}]}");
    }

    @Test
    void customPolicyBlockPassesThroughExactly() {
        String json = json("""
                loadBalancingConfig:
                  - my_policy:
                      choice-count: 2
                      weights: [ 1, 2 ]
                      nested: { Some-Key: "x", deep: [ { a-b: true } ] }
                  - round_robin: {}
                """);
        assertThat(json).isEqualTo("{\"loadBalancingConfig\":[{\"my_policy\":{\"choice-count\":2,\"weights\":[1,2],"
                + "\"nested\":{\"Some-Key\":\"x\",\"deep\":[{\"a-b\":true}]}}},{\"round_robin\":{}}]}");
    }

    @Test
    void stringLiteralsInACustomPolicyBlockAreTypedAsJsonWouldBe() {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("port", "39139");
        block.put("ratio", "0.25");
        block.put("enabled", "true");
        block.put("name", "0.25x");
        block.put("version", "1.10.2");
        Map<String, Object> bound = Map.of("loadBalancingConfig", Map.of("0", Map.of("my_policy", block)));
        assertThat(Json.write(ServiceConfigYaml.convert(bound, PREFIX).json())).isEqualTo("{\"loadBalancingConfig\":"
                + "[{\"my_policy\":{\"port\":39139,\"ratio\":0.25,\"enabled\":true,\"name\":\"0.25x\","
                + "\"version\":\"1.10.2\"}}]}");
    }

    @Test
    void emptyListsObjectsAndStringsInACustomPolicyBlockStayAsWritten() {
        // Spring binds all three as ""; the YAML as written tells them apart.
        assertThat(jsonAsWritten("""
                loadBalancingConfig:
                  - my_policy:
                      subnets: []
                      weights: { a: [], b: {} }
                      label: ''
                      zones: [ ]
                """)).isEqualTo("{\"loadBalancingConfig\":[{\"my_policy\":{\"subnets\":[],\"weights\":{\"a\":[],\"b\":{}},"
                + "\"label\":\"\",\"zones\":[]}}]}");
    }

    @Test
    void emptyCustomPolicyBlockIsAnEmptyObject() {
        assertThat(json("loadBalancingConfig: [ { my_policy: {} } ]"))
                .isEqualTo("{\"loadBalancingConfig\":[{\"my_policy\":{}}]}");
    }

    @Test
    void aMisspeltTopLevelFieldIsNamedWithTheNearestValidOne() {
        // gRPC would ignore it, and the channel would silently run without the policy it names.
        assertThatThrownBy(() -> convert("load-balancing-configs: [ { round_robin: {} } ]"))
                .isInstanceOfSatisfying(LbChannelConfigurationException.class, e -> {
                    assertThat(e.getName()).isEqualTo(PREFIX + ".load-balancing-configs");
                    assertThat(YamlText.flow(e.getValue())).startsWith("[ { round_robin: ");
                    assertThat(e.getReason()).startsWith("The service config has no field 'loadBalancingConfigs'; its fields are: "
                            + "healthCheckConfig, loadBalancingConfig, loadBalancingPolicy, methodConfig, retryThrottling");
                    assertThat(e.getAction()).isEqualTo("Did you mean 'loadBalancingConfig'? Rename " + PREFIX
                            + ".load-balancing-configs to " + PREFIX + ".load-balancing-config (or loadBalancingConfig).");
                });
    }

    @Test
    void aMisspeltNestedFieldIsNamedWhereItIs() {
        assertThatThrownBy(() -> convert("method-config: [ { name: [ {} ], timout: 2s } ]"))
                .isInstanceOfSatisfying(LbChannelConfigurationException.class, e -> {
                    assertThat(e.getName()).isEqualTo(PREFIX + ".method-config[0].timout");
                    assertThat(e.getValue()).isEqualTo("2s");
                    assertThat(e.getReason()).startsWith("methodConfig[0] has no field 'timout'");
                    assertThat(e.getAction()).startsWith("Did you mean 'timeout'?");
                });
    }

    @Test
    void aFieldFarFromAnyValidOneListsTheValidOnes() {
        assertThatThrownBy(() -> convert("retry-throttling: { max-tokens: 10, token-ratio: 0.1, burst: 3 }"))
                .isInstanceOfSatisfying(LbChannelConfigurationException.class, e -> assertThat(e.getAction())
                        .isEqualTo("Remove " + PREFIX + ".retry-throttling.burst, or name one of the fields "
                                + "retryThrottling has: maxTokens, tokenRatio."));
    }

    @Test
    void aBuiltInPolicysBlockTakesOnlyItsOwnFields() {
        assertThatThrownBy(() -> convert("loadBalancingConfig: [ { pick_first: { shuffle-adress-list: true } } ]"))
                .isInstanceOfSatisfying(LbChannelConfigurationException.class,
                        e -> assertThat(e.getAction()).startsWith("Did you mean 'shuffleAddressList'?"));
    }

    @ParameterizedTest
    @CsvSource({
            "500ms, 0.500s",
            "2s, 2s",
            "PT2S, 2s",
            "2.5s, 2.500s",
            "0.000000001s, 0.000000001s",
            "1500, 1.500s",
            "'\"1500\"', 1.500s",
            "1m, 60s",
            "PT1M30S, 90s",
            "10us, 0.000010s"
    })
    void durationsInSpringOrGrpcFormBecomeGrpcDurations(String yaml, String expected) {
        assertThat(json("methodConfig: [ { name: [ {} ], timeout: " + yaml + " } ]"))
                .isEqualTo("{\"methodConfig\":[{\"name\":[{}],\"timeout\":\"" + expected + "\"}]}");
    }

    @Test
    void stringsFromPropertiesFilesAreTyped() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", Map.of("0", Map.of("service", "a.A")));
        entry.put("waitForReady", "TRUE");
        entry.put("maxRequestMessageBytes", "4MB");
        entry.put("maxResponseMessageBytes", "1000");
        entry.put("retryPolicy", Map.of("maxAttempts", "4", "backoffMultiplier", "1.5"));
        Map<String, Object> bound = Map.of("methodConfig", Map.of("0", entry));
        Map<String, Object> json = ServiceConfigYaml.convert(bound, PREFIX).json();
        @SuppressWarnings("unchecked")
        Map<String, Object> method = ((List<Map<String, Object>>) json.get("methodConfig")).get(0);
        assertThat(method).containsEntry("waitForReady", true)
                .containsEntry("maxRequestMessageBytes", 4L * 1024 * 1024)
                .containsEntry("maxResponseMessageBytes", 1000L)
                .containsEntry("retryPolicy", Map.of("maxAttempts", 4.0, "backoffMultiplier", 1.5));
    }

    @Test
    void listElementsKeepTheirIndexOrder() {
        Map<String, Object> names = new LinkedHashMap<>();
        for (int i = 11; i >= 0; i--) {
            names.put(String.valueOf(i), Map.of("service", "s" + i));
        }
        Map<String, Object> json = ServiceConfigYaml.convert(Map.of("methodConfig", Map.of("0", Map.of("name", names))),
                PREFIX).json();
        assertThat(Json.write(json)).startsWith("{\"methodConfig\":[{\"name\":[{\"service\":\"s0\"},{\"service\":\"s1\"},"
                + "{\"service\":\"s2\"}");
    }

    @Test
    void aBooleanThatIsNotOneNamesItsProperty() {
        assertThatThrownBy(() -> convert("method-config: [ { name: [ {} ], wait-for-ready: sometimes } ]"))
                .isInstanceOfSatisfying(LbChannelConfigurationException.class, e -> {
                    assertThat(e.getName()).isEqualTo(PREFIX + ".method-config[0].wait-for-ready");
                    assertThat(e.getValue()).isEqualTo("sometimes");
                    assertThat(e.getReason()).isEqualTo("methodConfig[0].waitForReady must be true or false");
                });
    }

    @Test
    void aBadDurationNamesItsPropertyAndTheAcceptedForms() {
        assertThatThrownBy(() -> convert("methodConfig: [ { name: [ {} ], timeout: soon } ]"))
                .isInstanceOfSatisfying(LbChannelConfigurationException.class, e -> {
                    assertThat(e.getName()).isEqualTo(PREFIX + ".methodConfig[0].timeout");
                    assertThat(e.getReason()).contains("500ms, 2s, 2.5s or PT2S");
                });
    }

    @Test
    void aBadNumberNamesItsProperty() {
        assertThatThrownBy(() -> convert("retryThrottling: { maxTokens: many, tokenRatio: 1 }"))
                .isInstanceOfSatisfying(LbChannelConfigurationException.class,
                        e -> assertThat(e.getName()).isEqualTo(PREFIX + ".retryThrottling.maxTokens"));
    }

    @Test
    void aFieldWrittenInBothCasesIsAnError() {
        Map<String, Object> bound = new LinkedHashMap<>();
        bound.put("methodConfig", Map.of());
        bound.put("method-config", Map.of());
        assertThatThrownBy(() -> ServiceConfigYaml.convert(bound, PREFIX))
                .isInstanceOfSatisfying(LbChannelConfigurationException.class,
                        e -> assertThat(e.getReason()).contains("sets 'methodConfig' twice"));
    }

    @Test
    void anObjectWhereAListBelongsIsAnError() {
        assertThatThrownBy(() -> convert("methodConfig: { name: x }"))
                .isInstanceOfSatisfying(LbChannelConfigurationException.class, e -> {
                    assertThat(e.getName()).isEqualTo(PREFIX + ".methodConfig");
                    assertThat(e.getReason()).isEqualTo("methodConfig must be a list");
                });
    }

    @Test
    void aPolicyEntryMustBeAnObject() {
        assertThatThrownBy(() -> convert("loadBalancingConfig: [ round_robin ]"))
                .isInstanceOfSatisfying(LbChannelConfigurationException.class,
                        e -> assertThat(e.getName()).isEqualTo(PREFIX + ".loadBalancingConfig[0]"));
    }

    @Test
    void originsMapJsonPathsBackToTheYamlAsWritten() {
        ConvertedServiceConfig converted = convert("""
                method-config:
                  - name: [ { service: a.A } ]
                    retry-policy: { max-attempts: 1 }
                """);
        assertThat(converted.originOf("methodConfig[0].retryPolicy.maxAttempts").property())
                .isEqualTo(PREFIX + ".method-config[0].retry-policy.max-attempts");
        assertThat(converted.originOf("methodConfig[0].retryPolicy.initialBackoff").property())
                .isEqualTo(PREFIX + ".method-config[0].retry-policy.initialBackoff");
        assertThat(converted.originOf("retryThrottling").property()).isEqualTo(PREFIX + ".retryThrottling");
    }

    @Test
    void camelCaseLeavesKeysWithoutHyphensAlone() {
        assertThat(ServiceConfigYaml.camelCase("loadBalancingConfig")).isEqualTo("loadBalancingConfig");
        assertThat(ServiceConfigYaml.camelCase("max-request-message-bytes")).isEqualTo("maxRequestMessageBytes");
        assertThat(ServiceConfigYaml.camelCase("round_robin")).isEqualTo("round_robin");
    }

    private static ConvertedServiceConfig convert(String yaml) {
        return ServiceConfigYaml.convert(bind(yaml), PREFIX);
    }

    private static String json(String yaml) {
        return Json.write(convert(yaml).json());
    }

    /** Converts as the starter does: with the environment, so the YAML as written can be read. */
    private static String jsonAsWritten(String yaml) {
        String indented = ("\n" + yaml).replace("\n", "\n        ");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(
                Yaml.source("lbchannel:\n  channels:\n    orders:\n      service-config:" + indented));
        Map<String, Object> bound = Binder.get(environment).bind(PREFIX, Bindable.mapOf(String.class, Object.class)).get();
        return Json.write(ServiceConfigYaml.convert(bound, PREFIX, new YamlOrigins(environment)).json());
    }

    private static Map<String, Object> bind(String yaml) {
        String indented = ("\n" + yaml).replace("\n", "\n        ");
        return Yaml.bindMap("lbchannel:\n  channels:\n    orders:\n      service-config:" + indented, PREFIX);
    }
}
