package dev.lbchannel.etcd;

import dev.lbchannel.resolver.ResolverTestEnvironment;
import dev.lbchannel.target.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Targets and options of the etcd scheme; no etcd needed, since creating a resolver starts nothing. */
@Timeout(10)
class EtcdResolverProviderTests {

    private static final ResolverTestEnvironment environment = new ResolverTestEnvironment();

    @AfterAll
    static void close() throws InterruptedException {
        environment.close();
    }

    @Test
    void targetNamingAMemberNeedsNoConfiguredEndpoints() {
        EtcdResolverProvider provider = EtcdResolverProvider.builder().build();

        assertThat(provider.scheme()).isEqualTo("etcd");
        assertThat(provider.newResolver(Target.parse("etcd://127.0.0.1:2379/services/orders"), environment.args(443))
                .details()).containsEntry("prefix", "services/orders/")
                .containsEntry("etcd", List.of("127.0.0.1:2379"))
                .containsEntry("watch", "STARTING");
    }

    @Test
    void targetWithoutAMemberUsesTheConfiguredOnes() {
        EtcdResolverProvider provider = EtcdResolverProvider.builder()
                .endpoints("http://10.0.0.5:2379", "http://10.0.0.6").build();

        assertThat(provider.newResolver(Target.parse("etcd:///services/orders"), environment.args(443)).details())
                .containsEntry("etcd", List.of("10.0.0.5:2379", "10.0.0.6:2379"));
    }

    @Test
    void targetWithoutAMemberAndNoneConfiguredIsRejectedWithTheFix() {
        EtcdResolverProvider provider = EtcdResolverProvider.builder().build();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> provider.newResolver(Target.parse("etcd:///services/orders"), environment.args(443)))
                .withMessageContaining("Invalid target 'etcd:///services/orders'")
                .withMessageContaining("etcd://host:2379/services/orders")
                .withMessageContaining("lbchannel.etcd.endpoints");
    }

    @Test
    void emptyPrefixAndBadMemberAreRejected() {
        EtcdResolverProvider provider = EtcdResolverProvider.builder().endpoints("127.0.0.1:2379").build();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> provider.newResolver(Target.parse("etcd:///"), environment.args(443)))
                .withMessageContaining("prefix is empty");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> provider.newResolver(Target.parse("etcd://127.0.0.1:99999/x"), environment.args(443)))
                .withMessageContaining("99999");
    }

    @Test
    void endpointsAreCheckedWhenSet() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EtcdResolverProvider.builder().endpoints("http://a:2379", "https://b:2379"))
                .withMessageContaining("mix http:// and https://");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EtcdResolverProvider.builder().endpoints("unix:///var/run/etcd.sock"))
                .withMessageContaining("unix:///var/run/etcd.sock");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EtcdResolverProvider.builder().keepAliveTime(Duration.ofSeconds(1)))
                .withMessageContaining("at least 5s");
    }

    @Test
    void defaultAuthorityIsThePrefixLastSegment() {
        EtcdResolverProvider provider = EtcdResolverProvider.builder().build();

        assertThat(provider.defaultAuthority(Target.parse("etcd:///services/orders"))).isEqualTo("orders");
        assertThat(provider.defaultAuthority(Target.parse("etcd://127.0.0.1:2379/orders"))).isEqualTo("orders");
    }
}
