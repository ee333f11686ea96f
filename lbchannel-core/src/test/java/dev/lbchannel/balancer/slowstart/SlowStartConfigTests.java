package dev.lbchannel.balancer.slowstart;

import dev.lbchannel.config.InvalidServiceConfigException;
import dev.lbchannel.config.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The slow-start weight curve, Envoy's, and the {@code slowStartConfig} block's rules. */
@Timeout(10)
class SlowStartConfigTests {

    private static final long S = 1_000_000_000L;

    @Test
    void aLinearRampStartsAtTheMinimumAndReachesFullWeightAtTheWindowsEnd() {
        SlowStartConfig linear = new SlowStartConfig(Duration.ofSeconds(10), 1.0, 10);
        assertThat(linear.factor(0)).isEqualTo(0.1);
        assertThat(linear.factor(S / 2)).as("5%% is below the minimum").isEqualTo(0.1);
        assertThat(linear.factor(3 * S)).isCloseTo(0.3, within(1e-9));
        assertThat(linear.factor(5 * S)).isCloseTo(0.5, within(1e-9));
        assertThat(linear.factor(10 * S)).isEqualTo(1);
        assertThat(linear.factor(60 * S)).isEqualTo(1);
        assertThat(linear.factor(-S)).as("a clock that went back").isEqualTo(0.1);
    }

    @Test
    void aggressionShapesTheCurve() {
        SlowStartConfig fast = new SlowStartConfig(Duration.ofSeconds(10), 2.0, 0);
        SlowStartConfig slow = new SlowStartConfig(Duration.ofSeconds(10), 0.5, 0);
        // (t / window) ^ (1 / aggression) at a quarter of the window
        assertThat(fast.factor(10 * S / 4)).isCloseTo(0.5, within(1e-9));
        assertThat(slow.factor(10 * S / 4)).isCloseTo(0.0625, within(1e-9));
        assertThat(fast.factor(0)).isZero();
    }

    @Test
    void theBlockTakesEnvoysDefaultsAndNamesWhatIsWrong() {
        assertThat(SlowStartConfig.parse(Json.parseObject("{}"))).isNull();
        assertThat(SlowStartConfig.parse(Json.parseObject("{\"slowStartConfig\": {\"slowStartWindow\": \"30s\"}}")))
                .isEqualTo(new SlowStartConfig(Duration.ofSeconds(30), 1.0, 10));
        assertThat(SlowStartConfig.parse(Json.parseObject("{\"slowStartConfig\": {\"slowStartWindow\": \"1.5s\","
                + " \"aggression\": \"2\", \"minWeightPercent\": 25}}")))
                .isEqualTo(new SlowStartConfig(Duration.ofMillis(1500), 2.0, 25));
        assertThatThrownBy(() -> SlowStartConfig.parse(Json.parseObject("{\"slowStartConfig\": {}}")))
                .isInstanceOf(InvalidServiceConfigException.class)
                .hasMessageContaining("slowStartConfig.slowStartWindow is required");
        assertThatThrownBy(() -> SlowStartConfig.parse(Json.parseObject(
                "{\"slowStartConfig\": {\"slowStartWindow\": \"0s\"}}")))
                .hasMessageContaining("slowStartConfig.slowStartWindow must be greater than 0s, was \"0s\"");
        assertThatThrownBy(() -> SlowStartConfig.parse(Json.parseObject(
                "{\"slowStartConfig\": {\"slowStartWindow\": \"10s\", \"aggression\": 0}}")))
                .hasMessageContaining("slowStartConfig.aggression must be greater than 0, was 0");
        assertThatThrownBy(() -> SlowStartConfig.parse(Json.parseObject(
                "{\"slowStartConfig\": {\"slowStartWindow\": \"10s\", \"minWeightPercent\": 101}}")))
                .hasMessageContaining("slowStartConfig.minWeightPercent must be a percentage from 0 to 100, was 101");
        assertThatThrownBy(() -> SlowStartConfig.parse(Json.parseObject("{\"slowStartConfig\": true}")))
                .hasMessageContaining("slowStartConfig must be an object with a slowStartWindow, was true");
    }
}
