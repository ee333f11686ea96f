package dev.lbchannel.resolver.dns;

import dev.lbchannel.resolver.RecordingResolverListener;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverRegistry;
import dev.lbchannel.resolver.ResolverTestEnvironment;
import dev.lbchannel.target.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Target validation, options and literals: everything that needs no DNS server. */
@Timeout(30)
class DnsResolverProviderTests {

    private static final ResolverTestEnvironment environment = new ResolverTestEnvironment();
    private final DnsResolverProvider provider = new DnsResolverProvider();

    @AfterAll
    static void closeEnvironment() throws InterruptedException {
        environment.close();
    }

    @Test
    void schemeIsDnsAndTargetsWithoutSchemeFallBackToIt() {
        assertThat(provider.scheme()).isEqualTo("dns");
        Target target = ResolverRegistry.builtIns().with(provider).parseTarget("orders.test:8443");
        assertThat(target.scheme()).isEqualTo("dns");
        assertThat(provider.defaultAuthority(target)).isEqualTo("orders.test:8443");
        assertThat(provider.defaultAuthority(Target.parse("dns://127.0.0.1:53/orders.test"))).isEqualTo("orders.test");
    }

    @Test
    void ipLiteralIsReportedAtOnceWithoutAQuery() {
        RecordingResolverListener listener = new RecordingResolverListener();
        Resolver resolver = provider.newResolver(Target.parse("dns:///[::1]"), environment.args(443));

        resolver.start(listener);
        resolver.refresh();

        assertThat(listener.events()).hasSize(1);
        assertThat(listener.events().get(0).addresses()).containsExactly(List.of("[0:0:0:0:0:0:0:1]:443"));
        resolver.shutdown();
    }

    @Test
    void newResolverStartsNoWorkAndShutdownWithoutStartIsFine() {
        Resolver resolver = provider.newResolver(Target.parse("dns://127.0.0.1:1/svc.test:1"), environment.args(443));

        resolver.shutdown();
        resolver.shutdown();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "dns:///                          | the host is empty",
        "dns:///svc.test:x                | the port 'x' is not a number",
        "dns:///bad_host!:1               | 'bad_host!' is not a valid host name",
        "dns:///a..test                   | 'a..test' is not a valid host name",
        "dns:///300.1.1.1:1               | '300.1.1.1' is not a valid IP address",
        "dns://dns.example/svc.test       | the DNS server 'dns.example' must be an IP address",
        "dns://127.0.0.1:x/svc.test       | DNS server: Invalid address '127.0.0.1:x'",
    })
    void malformedTargetIsRejectedNamingIt(String target, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> provider.newResolver(Target.parse(target), environment.args(443)))
                .withMessageStartingWith("Invalid target '" + target + "': ")
                .withMessageContaining(message);
    }

    @Test
    void builderRejectsNonsenseDurations() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DnsResolverProvider.builder().minRefreshInterval(Duration.ofSeconds(-1)))
                .withMessageContaining("minRefreshInterval");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DnsResolverProvider.builder().refreshInterval(Duration.ofSeconds(-1)))
                .withMessageContaining("refreshInterval");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DnsResolverProvider.builder().queryTimeout(Duration.ZERO))
                .withMessageContaining("queryTimeout");
    }
}
