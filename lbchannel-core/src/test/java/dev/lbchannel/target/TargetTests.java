package dev.lbchannel.target;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(10)
class TargetTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dns:///orders:8443            | dns         | ''               | orders:8443",
            "dns://8.8.8.8:53/orders:8443  | dns         | 8.8.8.8:53       | orders:8443",
            "DNS:///orders                 | dns         | ''               | orders",
            "static:///a:1,b:2             | static      | ''               | a:1,b:2",
            "passthrough:///[::1]:50051    | passthrough | ''               | [::1]:50051",
    })
    void parsesHierarchicalTargets(String text, String scheme, String authority, String endpoint) {
        Target target = Target.parse(text);
        assertThat(target).isNotNull();
        assertThat(target.scheme()).isEqualTo(scheme);
        assertThat(target.authority()).isEqualTo(authority);
        assertThat(target.endpoint()).isEqualTo(endpoint);
        assertThat(target.isHierarchical()).isTrue();
        assertThat(target).hasToString(text);
    }

    @Test
    void parsesOpaqueTargets() {
        Target unix = Target.parse("unix:/tmp/grpc.sock");
        assertThat(unix).isNotNull();
        assertThat(unix.scheme()).isEqualTo("unix");
        assertThat(unix.authority()).isNull();
        assertThat(unix.endpoint()).isEqualTo("/tmp/grpc.sock");
        assertThat(unix.isHierarchical()).isTrue();

        Target hostPort = Target.parse("orders:8443");
        assertThat(hostPort).isNotNull();
        assertThat(hostPort.scheme()).isEqualTo("orders");
        assertThat(hostPort.isHierarchical()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:50051", "[::1]:443", "1orders:80", "_svc:1"})
    void textWithoutSchemeParsesToNull(String text) {
        assertThat(Target.parse(text)).isNull();
    }

    @Test
    void rejectsBlankAndAuthorityWithoutPath() {
        assertThatIllegalArgumentException().isThrownBy(() -> Target.parse("  "))
                .withMessageContaining("empty");
        assertThatIllegalArgumentException().isThrownBy(() -> Target.parse("dns://8.8.8.8"))
                .withMessageContaining("'dns://8.8.8.8'")
                .withMessageContaining("scheme://authority/endpoint");
    }
}
