package dev.lbchannel.samples.resolver;

import dev.lbchannel.target.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(10)
class EndpointsFileResolverProviderTests {

    private final EndpointsFileResolverProvider provider = new EndpointsFileResolverProvider(Duration.ofSeconds(5));

    @Test
    void theAuthorityIsTheFilesNameWithoutItsExtension() {
        assertThat(provider.defaultAuthority(Target.parse("file:///etc/lbchannel/catalog.endpoints"))).isEqualTo("catalog");
        assertThat(provider.defaultAuthority(Target.parse("file:/etc/lbchannel/orders"))).isEqualTo("orders");
    }

    @Test
    void aTargetWithAHostIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> provider.defaultAuthority(Target.parse("file://fileserver/etc/catalog.endpoints")))
                .withMessageContaining("'file://fileserver/etc/catalog.endpoints'").withMessageContaining("names no host");
    }

    @Test
    void aNegativePollIntervalIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new EndpointsFileResolverProvider(Duration.ofSeconds(-1)))
                .withMessageContaining("pollInterval");
    }
}
