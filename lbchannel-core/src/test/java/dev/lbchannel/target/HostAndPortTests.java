package dev.lbchannel.target;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(10)
class HostAndPortTests {

    @Test
    void parsesNamesIpv4AndBracketedIpv6() {
        assertThat(HostAndPort.parse("orders:8443", 443)).isEqualTo(new HostAndPort("orders", 8443));
        assertThat(HostAndPort.parse("orders", 443)).isEqualTo(new HostAndPort("orders", 443));
        assertThat(HostAndPort.parse("10.0.0.7:50051", 443)).isEqualTo(new HostAndPort("10.0.0.7", 50051));
        assertThat(HostAndPort.parse("[::1]:50051", 443)).isEqualTo(new HostAndPort("::1", 50051));
        assertThat(HostAndPort.parse("[::1]", 80)).isEqualTo(new HostAndPort("::1", 80));
    }

    @Test
    void literalsResolveWithoutLookupAndNamesStayUnresolved() {
        InetSocketAddress v6 = HostAndPort.parse("[::1]:50051", 443).toSocketAddress();
        assertThat(v6.isUnresolved()).isFalse();
        assertThat(v6.getPort()).isEqualTo(50051);
        assertThat(HostAndPort.parse("orders.internal:1", 443).toSocketAddress().isUnresolved()).isTrue();
        assertThat(HostAndPort.parse("[::1]:5", 443)).hasToString("[::1]:5");
    }

    @Test
    void rejectsMalformedAddressesNamingThem() {
        assertThatIllegalArgumentException().isThrownBy(() -> HostAndPort.parse("orders:http", 443))
                .withMessageContaining("'orders:http'").withMessageContaining("port");
        assertThatIllegalArgumentException().isThrownBy(() -> HostAndPort.parse("::1:80", 443))
                .withMessageContaining("brackets");
        assertThatIllegalArgumentException().isThrownBy(() -> HostAndPort.parse("[::1:80", 443))
                .withMessageContaining("']'");
        assertThatIllegalArgumentException().isThrownBy(() -> HostAndPort.parse(":80", 443))
                .withMessageContaining("host is empty");
        assertThatIllegalArgumentException().isThrownBy(() -> HostAndPort.parse("a:70000", 443))
                .withMessageContaining("70000");
    }
}
