package dev.lbchannel.channelz;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Addresses as channelz, traces and errors write them. */
class SocketAddressesTests {

    @Test
    void ipv6AddressesAreBracketedInShortForm() {
        assertThat(SocketAddresses.text(new InetSocketAddress("::1", 8443))).isEqualTo("[::1]:8443");
        assertThat(SocketAddresses.text(new InetSocketAddress("2001:db8:0:0:1:0:0:1", 443)))
                .isEqualTo("[2001:db8::1:0:0:1]:443");
        assertThat(SocketAddresses.text(new InetSocketAddress("fe80:0:0:0:0:0:0:0", 1))).isEqualTo("[fe80::]:1");
        assertThat(SocketAddresses.text(new InetSocketAddress("0:0:0:0:0:0:0:0", 1))).isEqualTo("[::]:1");
        assertThat(SocketAddresses.text(new InetSocketAddress("1:2:3:4:5:6:7:8", 1))).isEqualTo("[1:2:3:4:5:6:7:8]:1");
        assertThat(SocketAddresses.text(new InetSocketAddress("127.0.0.1", 50051))).isEqualTo("127.0.0.1:50051");
        assertThat(SocketAddresses.text(InetSocketAddress.createUnresolved("orders.internal", 8443)))
                .isEqualTo("orders.internal:8443");
    }

    @Test
    void nullStaysNull() {
        assertThat(SocketAddresses.text(null)).isNull();
    }
}
