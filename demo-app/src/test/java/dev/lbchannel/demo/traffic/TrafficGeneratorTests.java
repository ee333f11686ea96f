package dev.lbchannel.demo.traffic;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.demo.backend.Backends;
import dev.lbchannel.demo.backend.GreeterBackend;
import dev.lbchannel.demo.client.GreeterClient;
import dev.lbchannel.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The background traffic against a real backend: it survives failures and stops cleanly. */
@Timeout(60)
class TrafficGeneratorTests {

    private final Backends backends = Backends.start(List.of(0));
    private final GreeterBackend backend = backends.all().get(0);
    private final LbChannel channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + backend.port())
            .usePlaintext().build();
    private final GreeterClient client = new GreeterClient(LbChannels.of(Map.of("only", channel)));
    private TrafficGenerator generator;

    @AfterEach
    void close() throws InterruptedException {
        if (generator != null) {
            generator.stop();
        }
        channel.shutdownNow();
        channel.awaitTermination(10, TimeUnit.SECONDS);
        backends.close();
    }

    @Test
    void keepsSendingThroughFailedCallsAndStopsCleanly() {
        generator = new TrafficGenerator(client, 200);
        generator.start();
        assertThat(generator.isRunning()).isTrue();
        Await.until("calls answered", () -> generator.stats().succeeded() >= 5);

        backend.stop();
        Await.until("calls failing", () -> generator.stats().failed() >= 5);
        backend.start();
        long answered = generator.stats().succeeded();
        Await.until("calls answered again", Duration.ofSeconds(40), () -> generator.stats().succeeded() > answered + 5);

        long before = System.nanoTime();
        generator.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(6));
        assertThat(generator.isRunning()).isFalse();
        TrafficStats stopped = generator.stats();
        assertThat(channel.snapshot().calls().started())
                .as("every call started was counted; none runs after stop")
                .isEqualTo(stopped.succeeded() + stopped.failed());
    }

    @Test
    void rateOutOfRangeIsAConfigurationError() {
        assertThatThrownBy(() -> new TrafficGenerator(client, 0))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("demo.traffic.rate");
        assertThatThrownBy(() -> new TrafficGenerator(client, 5000))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class);
    }
}
