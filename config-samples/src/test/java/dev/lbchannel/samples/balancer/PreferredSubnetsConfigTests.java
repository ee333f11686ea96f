package dev.lbchannel.samples.balancer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(10)
class PreferredSubnetsConfigTests {

    private final PreferredSubnetsBalancerProvider provider = new PreferredSubnetsBalancerProvider();

    @Test
    void parsesTheSubnetList() {
        Object config = provider.parseConfig(Map.of("subnets", List.of("10.20.0.0/16", " fd00:20::/32 ")));

        assertThat(config).isEqualTo(new PreferredSubnetsConfig(
                List.of(Subnet.parse("10.20.0.0/16"), Subnet.parse("fd00:20::/32"))));
    }

    @Test
    void errorsNameTheField() {
        assertThatIllegalArgumentException().isThrownBy(() -> provider.parseConfig(Map.of()))
                .withMessageStartingWith("subnets must be a non-empty list");
        assertThatIllegalArgumentException().isThrownBy(() -> provider.parseConfig(Map.of("subnets", List.of())))
                .withMessageStartingWith("subnets must be a non-empty list");
        assertThatIllegalArgumentException().isThrownBy(() -> provider.parseConfig(Map.of("subnets", List.of(16))))
                .withMessageStartingWith("subnets[0] must be a string");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> provider.parseConfig(Map.of("subnets", List.of("10.0.0.0/8", "10.20.0.0"))))
                .withMessageStartingWith("subnets[1]: Invalid subnet '10.20.0.0'");
    }
}
