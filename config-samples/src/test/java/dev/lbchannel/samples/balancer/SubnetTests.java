package dev.lbchannel.samples.balancer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(10)
class SubnetTests {

    @Test
    void containsTheAddressesUnderItsPrefix() throws Exception {
        Subnet zone = Subnet.parse("10.20.0.0/16");

        assertThat(zone.contains(InetAddress.getByName("10.20.0.1"))).isTrue();
        assertThat(zone.contains(InetAddress.getByName("10.20.255.254"))).isTrue();
        assertThat(zone.contains(InetAddress.getByName("10.21.0.1"))).isFalse();
        assertThat(zone.contains(InetAddress.getByName("::ffff:1"))).isFalse();
    }

    @Test
    void prefixesThatEndInsideAByteAreHonoured() throws Exception {
        Subnet pair = Subnet.parse("127.0.0.2/31");

        assertThat(pair.contains(InetAddress.getByName("127.0.0.2"))).isTrue();
        assertThat(pair.contains(InetAddress.getByName("127.0.0.3"))).isTrue();
        assertThat(pair.contains(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(pair.contains(InetAddress.getByName("127.0.0.4"))).isFalse();
    }

    @Test
    void ipv6HighBytesAndTheWholeSpaceWork() throws Exception {
        assertThat(Subnet.parse("fd00:20::/32").contains(InetAddress.getByName("fd00:20:1::7"))).isTrue();
        assertThat(Subnet.parse("fd00:20::/32").contains(InetAddress.getByName("fd00:21::7"))).isFalse();
        assertThat(Subnet.parse("192.168.0.0/16").contains(InetAddress.getByName("192.168.200.9"))).isTrue();
        assertThat(Subnet.parse("0.0.0.0/0").contains(InetAddress.getByName("192.0.2.1"))).isTrue();
    }

    @Test
    void hostBitsBeyondThePrefixDoNotMatter() {
        assertThat(Subnet.parse("10.20.3.4/16")).isEqualTo(Subnet.parse("10.20.0.0/16"))
                .hasToString("10.20.0.0/16");
    }

    @Test
    void malformedSubnetsAreRejectedByName() {
        assertThatIllegalArgumentException().isThrownBy(() -> Subnet.parse("10.20.0.0"))
                .withMessageContaining("'10.20.0.0'").withMessageContaining("prefix");
        assertThatIllegalArgumentException().isThrownBy(() -> Subnet.parse("zone-a.internal/16"))
                .withMessageContaining("not an IP address");
        assertThatIllegalArgumentException().isThrownBy(() -> Subnet.parse("10.20.0.0/33"))
                .withMessageContaining("from 0 to 32");
        assertThatIllegalArgumentException().isThrownBy(() -> Subnet.parse("10.20.0.0/x"))
                .withMessageContaining("not a number");
    }
}
