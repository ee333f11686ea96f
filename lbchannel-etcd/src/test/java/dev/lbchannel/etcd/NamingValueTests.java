package dev.lbchannel.etcd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The JSON of etcd's gRPC naming format, as etcd's Go endpoints.Manager writes it. */
@Timeout(10)
class NamingValueTests {

    @Test
    void goManagerValueWithObjectMetadata() {
        NamingValue value = parse("{\"Op\":0,\"Addr\":\"10.0.0.7:8443\",\"Metadata\":{\"zone\":\"eu-1\",\"weight\":3}}");

        assertThat(value.delete()).isFalse();
        assertThat(value.address()).isEqualTo(new InetSocketAddress("10.0.0.7", 8443));
        assertThat(value.metadata()).isEqualTo(Map.of("zone", "eu-1", "weight", 3.0));
    }

    @Test
    void goManagerValueWithNullMetadataHasNone() {
        NamingValue value = parse("{\"Op\":0,\"Addr\":\"10.0.0.7:8443\",\"Metadata\":null}");

        assertThat(value.metadata()).isNull();
    }

    @Test
    void opAndMetadataMayBeAbsentAndMetadataAnyJson() {
        assertThat(parse("{\"Addr\":\"10.0.0.7:1\"}").delete()).isFalse();
        assertThat(parse("{\"Addr\":\"10.0.0.7:1\",\"Metadata\":\"v2\"}").metadata()).isEqualTo("v2");
        assertThat(parse("{\"Addr\":\"10.0.0.7:1\",\"Metadata\":[1,true]}").metadata()).isEqualTo(List.of(1.0, true));
    }

    @Test
    void fieldNamesMatchInAnyCaseAsGoDecodesThem() {
        NamingValue value = parse("{\"op\":0,\"addr\":\"10.0.0.7:8443\",\"METADATA\":\"m\"}");

        assertThat(value.address()).isEqualTo(new InetSocketAddress("10.0.0.7", 8443));
        assertThat(value.metadata()).isEqualTo("m");
    }

    @Test
    void opOneIsADeleteAndNeedsNoAddress() {
        NamingValue value = parse("{\"Op\":1}");

        assertThat(value.delete()).isTrue();
        assertThat(value.address()).isNull();
    }

    @Test
    void hostNamesStayUnresolvedForTheTransportAndIpv6NeedsBrackets() {
        assertThat(parse("{\"Addr\":\"orders-1.internal:8443\"}").address())
                .isEqualTo(InetSocketAddress.createUnresolved("orders-1.internal", 8443));
        assertThat(parse("{\"Addr\":\"[::1]:8443\"}").address()).isEqualTo(new InetSocketAddress("::1", 8443));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "\"10.0.0.7:1\"", "{}", "{\"Addr\":\"\"}", "{\"Addr\":5}",
        "{\"Addr\":\"10.0.0.7\"}", "{\"Addr\":\"10.0.0.7:0\"}", "{\"Addr\":\"10.0.0.7:99999\"}",
        "{\"Op\":2,\"Addr\":\"10.0.0.7:1\"}", "{\"Op\":\"0\",\"Addr\":\"10.0.0.7:1\"}", "{\"Addr\":\"::1:80\"}"})
    void malformedValuesAreRejected(String json) {
        assertThatIllegalArgumentException().isThrownBy(() -> parse(json));
    }

    @Test
    void errorsNeverQuoteTheMetadata() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> parse("{\"Addr\":\"10.0.0.7\",\"Metadata\":\"secret-token\"}"))
                .withMessageContaining("needs a port")
                .withMessageNotContaining("secret-token");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> parse("{\"Addr\":\"10.0.0.7:1\",\"Metadata\":\"secret-token\""))
                .withMessageNotContaining("secret-token");
    }

    @Test
    void invalidUtf8IsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> NamingValue.parse(new byte[] {'{', (byte) 0xc3, '}'}))
                .withMessageContaining("UTF-8");
    }

    private static NamingValue parse(String json) {
        return NamingValue.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
