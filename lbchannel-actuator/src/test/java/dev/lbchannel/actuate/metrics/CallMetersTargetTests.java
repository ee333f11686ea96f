package dev.lbchannel.actuate.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code grpc.target} tag of call meters follows a target a refresh changed in place. */
@Timeout(10)
class CallMetersTargetTests {

    @Test
    void theTargetTagFollowsTheChannelsTarget() {
        AtomicReference<String> target = new AtomicReference<>("static:///10.0.0.7:8443");
        CallMeters meters = new CallMeters(new SimpleMeterRegistry(), "orders", target::get);
        assertThat(meters.callTags("other").stream()).anyMatch(tag -> tag.getKey().equals(GrpcMeterNames.TARGET_TAG)
                && tag.getValue().equals("static:///10.0.0.7:8443"));

        target.set("dns:///orders.internal:8443");

        assertThat(meters.callTags("other").stream()).anyMatch(tag -> tag.getKey().equals(GrpcMeterNames.TARGET_TAG)
                && tag.getValue().equals("dns:///orders.internal:8443"));
    }
}
