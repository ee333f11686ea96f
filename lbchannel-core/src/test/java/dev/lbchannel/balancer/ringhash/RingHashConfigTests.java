package dev.lbchannel.balancer.ringhash;

import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.config.InvalidServiceConfigException;
import dev.lbchannel.config.LbPolicySelection;
import dev.lbchannel.config.ServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code ring_hash} block: A42's defaults and limits, A76's header rules, under both names. */
@Timeout(10)
class RingHashConfigTests {

    private static LbPolicySelection select(String policy, String block) {
        return ServiceConfig.parseJson("{\"loadBalancingConfig\": [{\"" + policy + "\": " + block + "}]}",
                BalancerRegistry.builtIns()).lbPolicy();
    }

    private static RingHashConfig parse(String block) {
        return (RingHashConfig) select("ring_hash", block).config();
    }

    @Test
    void defaultsAreA42s() {
        assertThat(parse("{}")).isEqualTo(new RingHashConfig(1024, 4096, null));
    }

    @Test
    void everyFieldIsReadAndAUint64MayBeText() {
        assertThat(parse("{\"minRingSize\": \"2048\", \"maxRingSize\": 8388608, \"requestHashHeader\": \"X-User-Id\"}"))
                .isEqualTo(new RingHashConfig(2048, 8388608, "x-user-id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ring_hash", "ring_hash_experimental"})
    void bothNamesSelectThePolicy(String name) {
        LbPolicySelection selection = select(name, "{\"minRingSize\": 16}");
        assertThat(selection.policyName()).isEqualTo(name);
        assertThat(selection.config()).isEqualTo(new RingHashConfig(16, 4096, null));
    }

    @Test
    void anEmptyHeaderMeansNone() {
        assertThat(parse("{\"requestHashHeader\": \"\"}").requestHashHeader()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"minRingSize\": 0           | minRingSize must be a whole number from 1 to 8388608, was 0",
            "\"maxRingSize\": 8388609     | maxRingSize must be a whole number from 1 to 8388608, was 8388609",
            "\"minRingSize\": 1.5         | minRingSize must be a whole number from 1 to 8388608, was 1.5",
            "\"maxRingSize\": \"lots\"    | maxRingSize must be a whole number, was \"lots\"",
            "\"minRingSize\": 5000        | minRingSize must not be above maxRingSize (4096 by default), was 5000",
            "\"minRingSize\": 64, \"maxRingSize\": 32 | minRingSize must not be above maxRingSize (32), was 64",
            "\"requestHashHeader\": \"x-trace-bin\" | requestHashHeader must not name a binary (-bin) header, was \"x-trace-bin\"",
            "\"requestHashHeader\": \":path\"       | requestHashHeader must be a header name of letters, digits, '-', '_' and '.', was \":path\"",
            "\"requestHashHeader\": \"user id\"     | requestHashHeader must be a header name of letters, digits, '-', '_' and '.', was \"user id\"",
            "\"requestHashHeader\": 7               | requestHashHeader must be a string, was 7"})
    void invalidValuesAreRejectedWithTheirPath(String fields, String rule) {
        assertThatThrownBy(() -> parse("{" + fields + "}"))
                .isInstanceOf(InvalidServiceConfigException.class)
                .hasMessage("Invalid service config: loadBalancingConfig[0].ring_hash." + rule);
    }

    @Test
    void aConfigOutsideTheLimitsCannotBeMade() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RingHashConfig(10, 5, null));
        assertThatIllegalArgumentException().isThrownBy(() -> new RingHashConfig(0, 5, null));
    }

    @Test
    void aProvidersCapMustBeARingSize() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RingHashBalancerProvider("ring_hash", 0))
                .withMessageContaining("ringSizeCap must be from 1 to 8388608");
    }
}
