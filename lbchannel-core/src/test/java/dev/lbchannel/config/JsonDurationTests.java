package dev.lbchannel.config;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(10)
class JsonDurationTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "3s            | PT3S",
            "1.5s          | PT1.5S",
            "0.1s          | PT0.1S",
            "0s            | PT0S",
            "0.000000001s  | PT0.000000001S",
            "0.000001s     | PT0.000001S",
            "-1.5s         | PT-1.5S",
            "86400s        | PT24H",
            "315576000000s | PT87660000H",
    })
    void parsesDecimalSeconds(String text, Duration expected) {
        assertThat(JsonDuration.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "1", "1S", "1ms", "PT1S", "1.s", ".5s", "1.0000000001s", "1e3s", " 1s",
            "1s ", "+1s", "--1s", "1.-5s", "0x10s", "1,5s", "-s"})
    void rejectsOtherForms(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonDuration.parse(text))
                .withMessage("must be a duration in seconds with an 's' suffix and at most 9 fractional digits, "
                        + "such as \"1.5s\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"315576000001s", "9999999999999s", "-315576000001s"})
    void rejectsBeyondProtoRange(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonDuration.parse(text))
                .withMessage("must be at most 315576000000 seconds");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PT3S           | 3s",
            "PT1.5S         | 1.500s",
            "PT0.000000001S | 0.000000001s",
            "PT0.000012S    | 0.000012s",
            "PT-0.25S       | -0.250s",
            "PT0S           | 0s",
    })
    void formatsAsProtoDoes(Duration duration, String expected) {
        assertThat(JsonDuration.format(duration)).isEqualTo(expected);
        assertThat(JsonDuration.parse(expected)).isEqualTo(duration);
    }
}
