package dev.lbchannel.balancer.leastrequest;

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code least_request} block: A48's default, cap and floor, under both of its names. */
@Timeout(10)
class LeastRequestConfigTests {

    private static LbPolicySelection select(String policy, String block) {
        return ServiceConfig.parseJson("{\"loadBalancingConfig\": [{\"" + policy + "\": " + block + "}]}",
                BalancerRegistry.builtIns()).lbPolicy();
    }

    private static LeastRequestConfig parse(String block) {
        return (LeastRequestConfig) select("least_request", block).config();
    }

    @Test
    void choiceCountDefaultsToTwo() {
        assertThat(parse("{}")).isEqualTo(LeastRequestConfig.DEFAULT);
        assertThat(parse("{}").choiceCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({"2, 2", "3, 3", "10, 10", "11, 10", "4294967295, 10", "\"5\", 5"})
    void choiceCountAboveTenIsTakenAsTen(String json, int expected) {
        assertThat(parse("{\"choiceCount\": " + json + "}").choiceCount()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"least_request", "least_request_experimental"})
    void bothNamesSelectThePolicy(String name) {
        LbPolicySelection selection = select(name, "{\"choiceCount\": 3}");
        assertThat(selection.policyName()).isEqualTo(name);
        assertThat(selection.config()).isEqualTo(new LeastRequestConfig(3));
    }

    @Test
    void choiceCountBelowTwoIsRejectedWithItsPath() {
        assertThatThrownBy(() -> parse("{\"choiceCount\": 1}"))
                .isInstanceOf(InvalidServiceConfigException.class)
                .hasMessage("Invalid service config: loadBalancingConfig[0].least_request.choiceCount must be at least 2,"
                        + " was 1")
                .extracting(e -> ((InvalidServiceConfigException) e).path())
                .isEqualTo("loadBalancingConfig[0].least_request.choiceCount");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0            | must be at least 2, was 0",
            "2.5          | must be a whole number from 0 to 4294967295 (a uint32), was 2.5",
            "-3           | must be a whole number from 0 to 4294967295 (a uint32), was -3",
            "4294967296   | must be a whole number from 0 to 4294967295 (a uint32), was 4294967296",
            "\"two\"      | must be a whole number, was \"two\"",
            "true         | must be a whole number, was true"})
    void choiceCountMustBeAUint32OfAtLeastTwo(String json, String rule) {
        assertThatThrownBy(() -> parse("{\"choiceCount\": " + json + "}"))
                .isInstanceOf(InvalidServiceConfigException.class)
                .hasMessageEndingWith("least_request.choiceCount " + rule);
    }

    @Test
    void unknownFieldsAreIgnored() {
        assertThat(parse("{\"activeRequestBias\": 1.0}")).isEqualTo(LeastRequestConfig.DEFAULT);
    }
}
