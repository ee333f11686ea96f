package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.boot.LbChannelBuilderCustomizer;
import dev.lbchannel.boot.autoconfigure.BuilderRetryLimits.Limits;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code retry.*}: each property reaches the channel's builder (as grpc-java's
 * {@code enableRetry()}/{@code disableRetry()}, {@code maxRetryAttempts}/{@code maxHedgedAttempts},
 * {@code retryBufferSize}, {@code perRpcBufferLimit}), merges from the defaults field by field,
 * fails start-up with an analysis naming the property when it cannot work, and has IDE metadata.
 */
@Timeout(60)
class RetryPropertiesTests {

    private static final long MIB = 1024 * 1024;

    private final BuilderRetryLimits builders = BuilderRetryLimits.capture();

    private ApplicationContextRunner runner(String... properties) {
        return LbChannelAutoConfigurationTests.RUNNER
                .withBean("retryLimitsProbe", LbChannelBuilderCustomizer.class, builders::customizer)
                .withPropertyValues("lbchannel.channels.orders.target=static:///127.0.0.1:1",
                        "lbchannel.channels.payments.target=static:///127.0.0.1:2")
                .withPropertyValues(properties);
    }

    @Test
    void unsetRetryPropertiesLeaveGrpcJavasDefaults() {
        runner().run(context -> assertThat(builders.of("orders")).isEqualTo(new Limits(true, 5, 5, 16 * MIB, MIB)));
    }

    @Test
    void retryPropertiesReachTheBuilder() {
        runner("lbchannel.channels.orders.retry.enabled=false", "lbchannel.channels.orders.retry.max-attempts=3",
                "lbchannel.channels.orders.retry.buffer-size=2MB",
                "lbchannel.channels.orders.retry.per-rpc-buffer-limit=64KB")
                .run(context -> assertThat(builders.of("orders")).isEqualTo(new Limits(false, 3, 3, 2 * MIB, 64 * 1024)));
    }

    @Test
    void bareSizesAreBytes() {
        runner("lbchannel.channels.orders.retry.per-rpc-buffer-limit=4096")
                .run(context -> assertThat(builders.of("orders").perRpcBufferLimit()).isEqualTo(4096));
    }

    @Test
    void retryDefaultsMergeFieldByField() {
        runner("lbchannel.defaults.retry.enabled=false", "lbchannel.defaults.retry.max-attempts=2",
                "lbchannel.defaults.retry.buffer-size=8MB", "lbchannel.channels.orders.retry.max-attempts=4",
                "lbchannel.channels.orders.retry.per-rpc-buffer-limit=512KB")
                .run(context -> {
                    assertThat(builders.of("orders")).isEqualTo(new Limits(false, 4, 4, 8 * MIB, 512 * 1024));
                    assertThat(builders.of("payments")).isEqualTo(new Limits(false, 2, 2, 8 * MIB, MIB));
                });
    }

    @Test
    void aChannelTurnsRetryBackOnWhereTheDefaultsTurnItOff() {
        runner("lbchannel.defaults.retry.enabled=false", "lbchannel.channels.orders.retry.enabled=true")
                .run(context -> {
                    assertThat(builders.of("orders").enabled()).isTrue();
                    assertThat(builders.of("payments").enabled()).isFalse();
                });
    }

    @Test
    void aNegativeBufferSizeNamesItsProperty() {
        FailureAnalysis analysis = analyze("lbchannel.channels.orders.retry.buffer-size=-1MB");
        assertThat(analysis.getDescription())
                .contains("'lbchannel.channels.orders.retry.buffer-size' has the value '-1048576B'")
                .contains("The size must be positive");
        assertThat(analysis.getAction()).isEqualTo("Set lbchannel.channels.orders.retry.buffer-size to a size such as 1MB.");
    }

    @Test
    void aZeroPerRpcLimitInTheDefaultsNamesTheDefaultsProperty() {
        FailureAnalysis analysis = analyze("lbchannel.defaults.retry.per-rpc-buffer-limit=0KB");
        assertThat(analysis.getDescription())
                .contains("'lbchannel.defaults.retry.per-rpc-buffer-limit' has the value '0B'");
    }

    @Test
    void maxAttemptsBelowOneNamesItsProperty() {
        FailureAnalysis analysis = analyze("lbchannel.channels.payments.retry.max-attempts=0");
        assertThat(analysis.getDescription()).contains("'lbchannel.channels.payments.retry.max-attempts' has the value '0'")
                .contains("at least 1, the first attempt included");
        assertThat(analysis.getAction()).startsWith("Set lbchannel.channels.payments.retry.max-attempts to 1");
    }

    @Test
    void retryPropertiesCarryConfigurationMetadata() throws IOException {
        String all = "";
        for (Resource resource : new PathMatchingResourcePatternResolver()
                .getResources("classpath*:META-INF/spring-configuration-metadata.json")) {
            all += resource.getContentAsString(StandardCharsets.UTF_8);
        }
        for (String leaf : new String[] {"enabled", "max-attempts", "buffer-size", "per-rpc-buffer-limit"}) {
            assertThat(all).contains("\"lbchannel.defaults.retry." + leaf + "\"");
        }
        assertThat(all).contains("transparent retries happen either way", "a policy's larger maxAttempts is capped");
    }

    private FailureAnalysis analyze(String... properties) {
        AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
        runner(properties).run(context -> failure.set(context.getStartupFailure()));
        assertThat(failure.get()).as("start-up failure").isNotNull();
        FailureAnalysis analysis = new LbChannelConfigurationFailureAnalyzer(null).analyze(failure.get());
        assertThat(analysis).as("analysis of %s", failure.get()).isNotNull();
        return analysis;
    }
}
