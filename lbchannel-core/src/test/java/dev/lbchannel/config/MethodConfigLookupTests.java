package dev.lbchannel.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Which method config a call gets: exact method, then its service, then the default. */
@Timeout(10)
class MethodConfigLookupTests {

    private static final ServiceConfig CONFIG = ServiceConfig.parseJson("""
            {"methodConfig": [
              {"name": [{"service": "pkg.Orders", "method": "Get"}, {"service": "pkg.Users", "method": "Get"}],
               "timeout": "1s"},
              {"name": [{"service": "pkg.Orders"}], "timeout": "2s"},
              {"name": [{}], "timeout": "3s"},
              {"name": [{"service": "pkg.Stock"}], "waitForReady": true}
            ]}""", TestBalancerProvider.registry());

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pkg.Orders/Get     | PT1S",   // exact method beats its service
            "pkg.Users/Get      | PT1S",   // a second name of the same entry
            "/pkg.Orders/Get    | PT1S",   // a leading slash is ignored
            "pkg.Orders/List    | PT2S",   // service-wide
            "pkg.Users/List     | PT3S",   // default
            "pkg.orders/Get     | PT3S",   // names are case-sensitive
            "pkg.Orders.Get     | PT3S",   // not a method of pkg.Orders
            "pkg.Orders         | PT2S",   // a bare service name finds its service entry
            "''                 | PT3S",
    })
    void mostSpecificEntryWins(String fullMethodName, Duration timeout) {
        assertThat(CONFIG.methodConfig(fullMethodName).timeout()).isEqualTo(timeout);
    }

    @Test
    void serviceEntryReplacesTheDefaultAsAWhole() {
        // pkg.Stock's entry sets only waitForReady: fields are not merged from the default entry
        MethodConfig stock = CONFIG.methodConfig("pkg.Stock/Reserve");

        assertThat(stock.waitForReady()).isTrue();
        assertThat(stock.timeout()).isNull();
    }

    @Test
    void namesOfOneEntryShareOneConfig() {
        assertThat(CONFIG.methodConfig("pkg.Users/Get")).isSameAs(CONFIG.methodConfig("pkg.Orders/Get"));
    }

    @Test
    void withoutADefaultAnUnmatchedMethodGetsTheEmptyConfig() {
        ServiceConfig config = ServiceConfig.parseJson("""
                {"methodConfig": [{"name": [{"service": "pkg.Orders", "method": "Get"}], "timeout": "1s"}]}""",
                TestBalancerProvider.registry());

        assertThat(config.methodConfig("pkg.Orders/List")).isSameAs(MethodConfig.EMPTY);
        assertThat(config.methodConfig("other.Service/Get")).isSameAs(MethodConfig.EMPTY);
        assertThat(config.methodConfig("pkg.Orders/Get").timeout()).isEqualTo(Duration.ofSeconds(1));
    }
}
