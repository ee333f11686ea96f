package dev.lbchannel.samples.resolver;

import dev.lbchannel.target.HostAndPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(10)
class EndpointsFileTests {

    @Test
    void readsOneEndpointPerLineSkippingCommentsAndBlanks() {
        List<String> lines = List.of("# catalog replicas", "", "10.0.8.11:9090", "  10.0.8.12:9090  # canary",
                "[fd00::7]:9090", "catalog-3.internal");

        assertThat(EndpointsFile.parse(lines, 443, "catalog.endpoints")).containsExactly(
                new HostAndPort("10.0.8.11", 9090), new HostAndPort("10.0.8.12", 9090),
                new HostAndPort("fd00::7", 9090), new HostAndPort("catalog-3.internal", 443));
    }

    @Test
    void aBadLineIsNamedByFileAndNumber() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EndpointsFile.parse(List.of("10.0.8.11:9090", "10.0.8.12:http"), 443, "catalog.endpoints"))
                .withMessageStartingWith("catalog.endpoints line 2: ").withMessageContaining("10.0.8.12:http");
    }

    @Test
    void aFileWithoutEndpointsIsAnError() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EndpointsFile.parse(List.of("# nothing yet"), 443, "catalog.endpoints"))
                .withMessageContaining("lists no endpoints");
    }
}
