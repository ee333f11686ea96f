package dev.lbchannel.actuate.channelz;

import dev.lbchannel.ChannelSnapshot;
import dev.lbchannel.channelz.CallStats;
import dev.lbchannel.channelz.ConnectionStats;
import dev.lbchannel.channelz.SubchannelHealth;
import dev.lbchannel.channelz.SubchannelSnapshot;
import io.grpc.ConnectivityState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins each subchannel's {@code balancer} object: the numbers its policy shows of it, by name,
 * such as {@code least_request}'s calls in flight and {@code ring_hash}'s ring entries.
 */
@Timeout(30)
class ChannelzBalancerGaugesTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aSubchannelShowsItsPolicysNumbersByName() {
        Map<String, Object> subchannel = subchannelJson(Map.of("outstandingCalls", 3L));
        assertThat(subchannel.get("balancer")).isEqualTo(Map.of("outstandingCalls", 3));
    }

    @Test
    void aPolicyThatShowsNothingGivesAnEmptyObject() {
        Map<String, Object> subchannel = subchannelJson(Map.of());
        assertThat(subchannel.get("balancer")).isEqualTo(Map.of());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> subchannelJson(Map<String, Long> balancer) {
        SubchannelSnapshot subchannel = new SubchannelSnapshot(2, List.of("10.0.0.7:8443"), ConnectivityState.READY,
                new CallStats(0, 0, 0, null), List.of(), List.of(), ConnectionStats.NONE, SubchannelHealth.NOT_CHECKED,
                balancer);
        ChannelSnapshot channel = new ChannelSnapshot(1, "static:///10.0.0.7:8443", ConnectivityState.READY,
                "least_request", new CallStats(0, 0, 0, null), List.of(subchannel), List.of());
        Map<String, Object> body = json.readValue(json.writeValueAsString(ChannelDescriptor.of("orders", channel)),
                Map.class);
        return ((List<Map<String, Object>>) body.get("subchannels")).get(0);
    }
}
