package dev.lbchannel.resolver.dns;

import dev.lbchannel.resolver.RecordingResolverListener.Event;
import dev.lbchannel.resolver.ResolutionResult;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.target.Target;
import dev.lbchannel.testing.Dnsmasq;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** gRFC A2 service config from TXT records, against a real DNS server (dnsmasq on loopback). */
@Timeout(60)
class DnsServiceConfigTests extends DnsServerTestCase {

    private static final String ROUND_ROBIN = "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}";
    private static final String PICK_FIRST = "{\"loadBalancingConfig\":[{\"pick_first\":{}}]}";
    private static final int ATTRIBUTE_LENGTH = "grpc_config=".length();

    @Test
    void choiceForJavaIsReportedWithTheAddresses() {
        dns.hosts("lang.test", "10.0.1.1");
        dns.txt("_grpc_config.lang.test", "v=spf1 -all", config(
                "{\"clientLanguage\":[\"go\",\"python\"],\"serviceConfig\":" + PICK_FIRST + "}",
                "{\"clientLanguage\":[\"c++\",\"JAVA\"],\"serviceConfig\":" + ROUND_ROBIN + "}"));

        ResolutionResult result = resolve("lang.test:1");

        assertThat(result.serviceConfig()).isEqualTo(Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of()))));
        assertThat(result.serviceConfigError()).isNull();
        assertThat(result.endpoints()).hasSize(1);
    }

    @Test
    void choiceWithZeroPercentIsSkippedAndHundredPercentTaken() {
        dns.hosts("percent.test", "10.0.1.2");
        dns.txt("_grpc_config.percent.test", config(
                "{\"percentage\":0,\"serviceConfig\":" + PICK_FIRST + "}",
                "{\"percentage\":100,\"serviceConfig\":" + ROUND_ROBIN + "}"));

        assertThat(resolve("percent.test:1").serviceConfig()).isEqualTo(Map.of(
                "loadBalancingConfig", List.of(Map.of("round_robin", Map.of()))));
    }

    @Test
    void choiceForThisHostIsTaken() throws Exception {
        String localHost = InetAddress.getLocalHost().getHostName();
        dns.hosts("hostname.test", "10.0.1.3");
        dns.txt("_grpc_config.hostname.test", config(
                "{\"clientHostname\":[\"some-other-host\"],\"serviceConfig\":" + PICK_FIRST + "}",
                "{\"clientHostname\":[\"x\",\"" + localHost + "\"],\"serviceConfig\":" + ROUND_ROBIN + "}"));

        assertThat(resolve("hostname.test:1").serviceConfig()).isEqualTo(Map.of(
                "loadBalancingConfig", List.of(Map.of("round_robin", Map.of()))));
    }

    @Test
    void noApplyingChoiceMeansNoConfig() {
        dns.hosts("nochoice.test", "10.0.1.4");
        dns.txt("_grpc_config.nochoice.test", config("{\"clientLanguage\":[\"go\"],\"serviceConfig\":" + PICK_FIRST + "}"));

        ResolutionResult result = resolve("nochoice.test:1");

        assertThat(result.serviceConfig()).isNull();
        assertThat(result.serviceConfigError()).isNull();
    }

    @Test
    void longRecordSplitIntoManyStringsIsJoined() {
        StringBuilder methods = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            methods.append(i == 0 ? "" : ",").append("{\"name\":[{\"service\":\"pkg.Service").append(i)
                    .append("\"}],\"timeout\":\"1s\"}");
        }
        String serviceConfig = "{\"methodConfig\":[" + methods + "]}";
        dns.hosts("long.test", "10.0.1.5");
        dns.txt("_grpc_config.long.test", config("{\"serviceConfig\":" + serviceConfig + "}"));

        ResolutionResult result = resolve("long.test:1");

        assertThat(serviceConfig.length()).isGreaterThan(Dnsmasq.TXT_STRING * 6);
        assertThat(result.serviceConfigError()).isNull();
        assertThat((List<?>) result.serviceConfig().get("methodConfig")).hasSize(8);
    }

    @Test
    void malformedConfigIsAnErrorAndTheAddressesAreStillReported() {
        String record = "grpc_config=[{\"serviceConfig\":{\"loadBalancingConfig\":[{\"round_robin\":{}}]}";
        dns.hosts("malformed.test", "10.0.1.6", "10.0.1.7");
        dns.txt("_grpc_config.malformed.test", record);

        ResolutionResult result = resolve("malformed.test:1");

        assertThat(result.endpoints()).hasSize(2);
        assertThat(result.serviceConfig()).isNull();
        Status error = result.serviceConfigError();
        assertThat(error.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(error.getDescription()).contains("_grpc_config.malformed.test").contains("Invalid JSON")
                .doesNotContain(record.substring(ATTRIBUTE_LENGTH));
    }

    @Test
    void unknownFieldInAChoiceIsAnError() {
        dns.hosts("unknown.test", "10.0.1.8");
        dns.txt("_grpc_config.unknown.test", config("{\"serviceConfig\":{},\"weight\":3}"));

        ResolutionResult result = resolve("unknown.test:1");

        assertThat(result.serviceConfigError().getDescription()).contains("unknown field 'weight'");
        assertThat(result.endpoints()).hasSize(1);
    }

    @Test
    void failedTxtLookupBeforeAnyConfigMeansNoConfig() {
        // Outside .test dnsmasq knows only its hosts file; with no upstream it refuses the TXT question.
        dns.hosts("svc.elsewhere", "10.0.1.11");

        ResolutionResult result = resolve("svc.elsewhere:1");

        assertThat(result.endpoints()).hasSize(1);
        assertThat(result.serviceConfig()).isNull();
        assertThat(result.serviceConfigError()).as("a refused TXT question is not a bad config").isNull();
        assertThat(queries("TXT", "_grpc_config.svc.elsewhere", 1)).isEqualTo(1);
    }

    @Test
    void hostWithoutTxtRecordHasNoConfig() {
        dns.hosts("plain.test", "10.0.1.9");

        ResolutionResult result = resolve("plain.test:1");

        assertThat(result.serviceConfig()).isNull();
        assertThat(result.serviceConfigError()).isNull();
        assertThat(queries("TXT", "_grpc_config.plain.test", 1)).isEqualTo(1);
    }

    @Test
    void disabledLookupAsksNoTxtQuestion() {
        dns.hosts("off.test", "10.0.1.10");
        dns.txt("_grpc_config.off.test", config("{\"serviceConfig\":" + ROUND_ROBIN + "}"));
        Resolver resolver = DnsResolverProvider.builder().serviceConfigLookup(false).build()
                .newResolver(Target.parse(dns.target("off.test:1")), environment.args(443));
        resolvers.add(resolver);

        resolver.start(listener);
        Event event = listener.awaitEvent(1);

        assertThat(event.result().serviceConfig()).isNull();
        assertThat(event.result().serviceConfigError()).isNull();
        assertThat(dns.queries("TXT", "_grpc_config.off.test")).isZero();
    }

    private static String config(String... choices) {
        return "grpc_config=[" + String.join(",", choices) + "]";
    }

    private ResolutionResult resolve(String hostAndPort) {
        start(dns.target(hostAndPort), new DnsResolverProvider());
        Event event = listener.awaitEvent(1);
        assertThat(event.isResult()).as("%s\n%s", event, dns.log()).isTrue();
        return event.result();
    }
}
