package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.boot.ImportLbChannelStubs;
import io.grpc.testing.integration.TestServiceGrpc;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad channel configuration stops start-up, and the failure analysis names the
 * property in dot form, the bad value and the fix.
 */
@Timeout(60)
class LbChannelFailureAnalysisTests {

    private static final ApplicationContextRunner RUNNER = LbChannelAutoConfigurationTests.RUNNER;
    /** The built-in policies, as the errors list them. */
    private static final String POLICIES = String.join(", ", BalancerRegistry.builtIns().policyNames());

    @Test
    void unknownSchemeListsTheRegisteredSchemes() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=dnss:///orders.internal:8443");
        assertThat(analysis.getDescription()).isEqualTo("The lbchannel property 'lbchannel.channels.orders.target' "
                + "has the value 'dnss:///orders.internal:8443', which cannot work:\n\n"
                + "    Unknown scheme 'dnss'; registered schemes: dns, passthrough, static, unix");
        assertThat(analysis.getAction()).isEqualTo("Use one of the registered schemes (dns, passthrough, static, unix) in "
                + "lbchannel.channels.orders.target, or declare a ResolverProvider bean whose scheme() is 'dnss'.");
    }

    @Test
    void unknownSchemeInTheDefaultsNamesTheDefaultsProperty() {
        FailureAnalysis analysis = analyze("lbchannel.defaults.target=nope:///x", "lbchannel.channels.orders.plaintext=true");
        assertThat(analysis.getDescription()).contains("'lbchannel.defaults.target' has the value 'nope:///x'");
    }

    @Test
    void missingTargetSaysWhatToSet() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.plaintext=true");
        assertThat(analysis.getDescription()).contains("'lbchannel.channels.orders.target' is not set")
                .contains("The channel has no target");
        assertThat(analysis.getAction()).startsWith("Set lbchannel.channels.orders.target to the service's address");
    }

    @Test
    void invalidTargetQuotesTheResolversReason() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:notaport");
        assertThat(analysis.getDescription()).contains("'lbchannel.channels.orders.target' has the value "
                + "'static:///127.0.0.1:notaport'");
        assertThat(analysis.getAction()).startsWith("Set lbchannel.channels.orders.target to a usable target");
    }

    @Test
    void unknownDefaultPolicyListsTheRegisteredPolicies() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.channels.orders.default.load-balancing-policy=round_robbin");
        assertThat(analysis.getDescription()).contains("'lbchannel.channels.orders.default.load-balancing-policy' "
                + "has the value 'round_robbin'").contains("registered policies: " + POLICIES);
        assertThat(analysis.getAction()).contains("declare a BalancerProvider bean whose policyName() is 'round_robbin'");
    }

    @Test
    void unknownPolicyInTheServiceConfigNamesTheYamlPath() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.channels.orders.service-config.load-balancing-config[0].round_robbin=");
        assertThat(analysis.getDescription())
                .contains("'lbchannel.channels.orders.service-config.load-balancing-config'")
                .contains("Invalid service config: loadBalancingConfig names no registered policy");
        assertThat(analysis.getAction()).contains("Name one of the registered policies (" + POLICIES + ")");
    }

    @Test
    void invalidServiceConfigNamesTheYamlPathAndTheRule() {
        FailureAnalysis analysis = analyzeYaml("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        method-config:
                          - name: [ { service: orders.v1.Orders } ]
                            retry-policy: { max-attempts: 1, initial-backoff: 1s, max-backoff: 2s,
                                            backoff-multiplier: 2, retryable-status-codes: [ UNAVAILABLE ] }
                """);
        assertThat(analysis.getDescription()).startsWith("The lbchannel property "
                + "'lbchannel.channels.orders.service-config.method-config[0].retry-policy.max-attempts' has the value '1'")
                .contains("Invalid service config: methodConfig[0].retryPolicy.maxAttempts must be at least 2");
    }

    @Test
    void healthCheckConfigThatIsNotAnObjectNamesTheProperty() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.channels.orders.service-config.health-check-config=orders.v1.Orders");
        assertThat(analysis.getDescription())
                .contains("'lbchannel.channels.orders.service-config.health-check-config' has the value 'orders.v1.Orders'")
                .contains("healthCheckConfig must be an object");
    }

    @Test
    void healthCheckServiceNameThatIsNotAStringNamesTheProperty() {
        FailureAnalysis analysis = analyzeYaml("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        health-check-config: { service-name: [ orders, inventory ] }
                """);
        assertThat(analysis.getDescription())
                .contains("'lbchannel.channels.orders.service-config.health-check-config.service-name'")
                .contains("healthCheckConfig.serviceName must be a string");
    }

    @Test
    void invalidOutlierDetectionValueNamesItsProperty() {
        FailureAnalysis analysis = analyzeYaml("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        load-balancing-config:
                          - outlier_detection:
                              max-ejection-percent: 150
                              failure-percentage-ejection: {}
                              child-policy: [ { round_robin: {} } ]
                """);
        assertThat(analysis.getDescription()).startsWith("The lbchannel property 'lbchannel.channels.orders.service-config"
                + ".load-balancing-config[0].outlier_detection.max-ejection-percent' has the value '150'")
                .contains("Invalid service config: loadBalancingConfig[0].outlier_detection.maxEjectionPercent must be"
                        + " a percentage from 0 to 100, was 150");
        assertThat(analysis.getAction()).startsWith("Correct lbchannel.channels.orders.service-config"
                + ".load-balancing-config[0].outlier_detection.max-ejection-percent as the reason says.");
    }

    @Test
    void outlierDetectionWithoutAChildPolicySaysWhatToAdd() {
        FailureAnalysis analysis = analyzeYaml("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        load-balancing-config: [ { outlier_detection: { interval: 5s } } ]
                """);
        assertThat(analysis.getDescription())
                .startsWith("The lbchannel property 'lbchannel.channels.orders.service-config.load-balancing-config[0]"
                        + ".outlier_detection.childPolicy' is not set")
                .contains("outlier_detection.childPolicy is required: the policy to wrap, such as [{\"round_robin\": {}}]");
    }

    @Test
    void unknownOutlierDetectionChildPolicyListsTheRegisteredPolicies() {
        FailureAnalysis analysis = analyzeYaml("""
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        load-balancing-config:
                          - outlier_detection: { child-policy: [ { round_robbin: {} } ] }
                """);
        assertThat(analysis.getDescription())
                .contains("'lbchannel.channels.orders.service-config.load-balancing-config[0].outlier_detection.child-policy'")
                .contains("outlier_detection.childPolicy names no registered policy, was [\"round_robbin\"]");
        assertThat(analysis.getAction()).contains("Name one of the registered policies (" + POLICIES + ")");
    }

    @Test
    void outlierDetectionIntervalOfTheWrongTypeNamesTheProperty() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.channels.orders.service-config.load-balancing-config[0].outlier_detection.interval=soon");
        assertThat(analysis.getDescription()).contains("'lbchannel.channels.orders.service-config"
                + ".load-balancing-config[0].outlier_detection.interval' has the value 'soon'")
                .contains("must be a duration");
    }

    @Test
    void theAnalysisQuotesWhereTheValueCameFrom() {
        String yaml = """
                lbchannel:
                  channels:
                    orders:
                      target: nope:///orders
                """;
        Throwable failure = startupFailure(RUNNER.withInitializer(Yaml.initializer(yaml)));
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(Yaml.source(yaml));
        FailureAnalysis analysis = new LbChannelConfigurationFailureAnalyzer(environment).analyze(failure);
        assertThat(analysis.getDescription()).contains("(from class path resource [application.yml] - 4:15)");
    }

    @Test
    void wrongTypeInTheServiceConfigNamesTheProperty() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.channels.orders.service-config.methodConfig[0].timeout=soon");
        assertThat(analysis.getDescription()).contains("'lbchannel.channels.orders.service-config.methodConfig[0].timeout'"
                + " has the value 'soon'").contains("methodConfig[0].timeout must be a duration");
    }

    @Test
    void invalidServiceConfigJsonNamesThePositionOfTheError() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.channels.orders.service-config-json={\"methodConfig\": [}");
        assertThat(analysis.getDescription()).contains("'lbchannel.channels.orders.service-config-json'")
                .contains("Invalid JSON at line 1, column");
    }

    @Test
    void invalidServiceConfigJsonContentNamesTheRule() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.channels.orders.service-config-json={\"methodConfig\":[{\"name\":[{}],\"timeout\":\"2\"}]}");
        assertThat(analysis.getDescription()).contains("Invalid service config: methodConfig[0].timeout");
    }

    @Test
    void serviceConfigAndServiceConfigJsonTogetherFailStartUp() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.channels.orders.service-config.loadBalancingPolicy=round_robin",
                "lbchannel.channels.orders.service-config-json={}");
        assertThat(analysis.getDescription()).contains("Both lbchannel.channels.orders.service-config and "
                + "lbchannel.channels.orders.service-config-json are set");
    }

    @Test
    void serviceConfigAndServiceConfigJsonTogetherInTheDefaultsFailStartUp() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.defaults.service-config.loadBalancingPolicy=round_robin",
                "lbchannel.defaults.service-config-json={}");
        assertThat(analysis.getDescription()).contains("'lbchannel.defaults.service-config-json'");
    }

    @Test
    void plaintextWithAnSslBundleFailsStartUp() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.channels.orders.plaintext=true", "lbchannel.channels.orders.ssl.bundle=client");
        assertThat(analysis.getDescription()).contains("'lbchannel.channels.orders.ssl.bundle' has the value 'client'")
                .contains("plaintext is true");
    }

    @Test
    void unknownSslBundleListsTheConfiguredBundles() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.channels.orders.ssl.bundle=orders-client",
                "spring.ssl.bundle.pem.other.truststore.certificate=" + TestCertificates.caPem());
        assertThat(analysis.getDescription()).contains("'lbchannel.channels.orders.ssl.bundle' has the value 'orders-client'")
                .contains("There is no SSL bundle named 'orders-client'; configured bundles: other");
        assertThat(analysis.getAction()).contains("spring.ssl.bundle.pem.orders-client");
    }

    @Test
    void unknownInterceptorNameListsTheInterceptorBeans() {
        FailureAnalysis analysis = analyze(RUNNER.withBean("auth", io.grpc.ClientInterceptor.class,
                        () -> new TestInterceptors.Recording("auth", new java.util.ArrayList<>())),
                "lbchannel.channels.orders.target=static:///127.0.0.1:1", "lbchannel.channels.orders.interceptors=audit");
        assertThat(analysis.getDescription()).contains("'lbchannel.channels.orders.interceptors'")
                .contains("There is no ClientInterceptor bean named 'audit'");
        assertThat(analysis.getAction()).contains("(there are: auth)");
    }

    @Test
    void nonPositiveDurationsNameTheirProperty() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.channels.orders.keepalive.timeout=0s");
        assertThat(analysis.getDescription()).contains("'lbchannel.channels.orders.keepalive.timeout' has the value 'PT0S'");
    }

    @Test
    void oversizedInboundLimitsNameTheirProperty() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.defaults.inbound.message.max-size=4GB");
        assertThat(analysis.getDescription()).contains("'lbchannel.defaults.inbound.message.max-size' has the value '4294967296B'")
                .contains("The size must be from 1B to 2GB - 1B");
    }

    @Test
    void aCustomPoliciesOwnConfigErrorNamesItsBlock() {
        FailureAnalysis analysis = analyze(RUNNER.withBean("preferred", BalancerProvider.class,
                        () -> new PreferredPortBalancerProvider("preferred_port")),
                "lbchannel.channels.orders.target=static:///127.0.0.1:1",
                "lbchannel.channels.orders.service-config.loadBalancingConfig[0].preferred_port.preferred-port=high");
        assertThat(analysis.getDescription())
                .contains("'lbchannel.channels.orders.service-config.loadBalancingConfig[0].preferred_port'")
                .contains("preferred-port must be a number, was high");
    }

    @Test
    void springBootChoosesThisAnalyzerOverItsGeneralOne() {
        Throwable failure = startupFailure(RUNNER.withPropertyValues("lbchannel.channels.orders.target=nope:///x"));
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, new StandardEnvironment())
                        .and(BeanFactory.class, new DefaultListableBeanFactory()),
                (type, implementation, notOnThisClassPath) -> { });
        FailureAnalysis first = analyzers.stream().map(analyzer -> analyzer.analyze(failure))
                .filter(a -> a != null).findFirst().orElseThrow();
        assertThat(first.getAction()).contains("declare a ResolverProvider bean whose scheme() is 'nope'");
    }

    @Test
    void aBlockValuedMistakeShowsTheYamlAsWrittenAndWhereItIs() {
        String yaml = """
                lbchannel:
                  channels:
                    orders:
                      target: static:///127.0.0.1:1
                      service-config:
                        method-config:
                          name: [ { service: orders.v1.Orders } ]
                """;
        Throwable failure = startupFailure(RUNNER.withInitializer(Yaml.initializer(yaml)));
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(Yaml.source(yaml));
        FailureAnalysis analysis = new LbChannelConfigurationFailureAnalyzer(environment).analyze(failure);
        assertThat(analysis.getDescription()).startsWith("The lbchannel property "
                + "'lbchannel.channels.orders.service-config.method-config' has the value "
                + "'{ name: [ { service: orders.v1.Orders } ] }' (from class path resource [application.yml] - 7:30)")
                .contains("methodConfig must be a list");
    }

    @Test
    void stubsImportedForAnUnconfiguredChannelNameTheChannelAndTheConfiguredOnes() {
        FailureAnalysis analysis = analyze(RUNNER.withUserConfiguration(StubsForAMisspeltChannel.class),
                "lbchannel.channels.orders.target=static:///127.0.0.1:1");
        assertThat(analysis.getDescription()).startsWith("The lbchannel property 'lbchannel.channels.orderz.target' is not"
                + " set, which cannot work:").contains("@ImportLbChannelStubs on " + StubsForAMisspeltChannel.class.getName()
                + " names channel 'orderz', which is not configured; configured channels: orders");
        assertThat(analysis.getAction()).isEqualTo("Configure the channel (lbchannel.channels.orderz.target), or name a"
                + " configured one in @ImportLbChannelStubs(channel = ...) on LbChannelFailureAnalysisTests.StubsForAMisspeltChannel.");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportLbChannelStubs(channel = "orderz", value = TestServiceGrpc.TestServiceBlockingStub.class)
    static class StubsForAMisspeltChannel {
    }

    private static FailureAnalysis analyze(String... properties) {
        return analyze(RUNNER, properties);
    }

    private static FailureAnalysis analyze(ApplicationContextRunner runner, String... properties) {
        Throwable failure = startupFailure(runner.withPropertyValues(properties));
        FailureAnalysis analysis = new LbChannelConfigurationFailureAnalyzer(null).analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }

    private static FailureAnalysis analyzeYaml(String yaml) {
        return analyze(RUNNER.withInitializer(Yaml.initializer(yaml)));
    }

    private static Throwable startupFailure(ApplicationContextRunner runner) {
        AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
        runner.run(context -> failure.set(context.getStartupFailure()));
        assertThat(failure.get()).as("start-up failure").isNotNull();
        return failure.get();
    }
}
