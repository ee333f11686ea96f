package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.testing.ClosedLoop;
import dev.lbchannel.testing.SlowBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code samples/peak-ewma.yml}: of three backends, the one five times slower gets far fewer calls than a third. */
@Timeout(120)
class PeakEwmaSampleTests {

    private SlowBackends backends;
    private Sample sample;

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        if (backends != null) {
            backends.close();
        }
    }

    @Test
    void aFiveTimesSlowerBackendGetsFarFewerCalls() throws Exception {
        backends = new SlowBackends(3);
        backends.delay(0, Duration.ofMillis(10));
        backends.delay(1, Duration.ofMillis(10));
        backends.delay(2, Duration.ofMillis(50));
        String addresses = Arrays.stream(backends.ports()).mapToObj(p -> "127.0.0.1:" + p)
                .collect(Collectors.joining(","));
        sample = Sample.start("peak-ewma", "search.addresses=" + addresses);
        LbChannel search = sample.channel("search");
        ChannelConditions.awaitReadySubchannels(search, 3);

        ClosedLoop.run(search, 4, 300);

        // round_robin would send it 100 (see PeakEwmaEndToEndTests in lbchannel-core for the comparison)
        assertThat(backends.received(2)).as("calls to the slow backend of 300").isLessThan(67);
        assertThat(ChannelConditions.readySubchannels(search))
                .allSatisfy(s -> assertThat(s.balancer()).containsKey("ewmaLatencyMicros"));
    }
}
