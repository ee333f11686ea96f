package dev.lbchannel.actuate.channelz;

import dev.lbchannel.ChannelSnapshot;
import dev.lbchannel.channelz.AttemptStats;
import dev.lbchannel.channelz.CallStats;
import dev.lbchannel.channelz.ConnectionStats;
import dev.lbchannel.channelz.DetectionMethod;
import dev.lbchannel.channelz.EjectionCounter;
import dev.lbchannel.channelz.ResolutionStats;
import dev.lbchannel.channelz.SocketSnapshot;
import dev.lbchannel.channelz.SubchannelHealth;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.channelz.TraceEvent;
import dev.lbchannel.channelz.UnenforcedReason;
import dev.lbchannel.transport.SocketStats;
import dev.lbchannel.transport.TlsSession;
import io.grpc.ConnectivityState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the JSON of {@code /actuator/channelz} field by field, as DESIGN.md documents it, so a
 * rename fails the build. Serialized with the Jackson the actuator uses; every object's key set is
 * checked exactly, so an added field is a deliberate change to this test too.
 */
@Timeout(30)
class ChannelzJsonShapeTests {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-24T10:00:01.250Z");

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void listPinsEveryDocumentedField() {
        Map<String, Object> body = toMap(new ChannelzDescriptor(List.of(ChannelDescriptor.of("orders", snapshot()))));

        assertThat(body).containsOnlyKeys("channels");
        Map<String, Object> channel = first(body.get("channels"));
        assertThat(channel).containsOnlyKeys("id", "name", "target", "state", "lbPolicy", "calls", "subchannels", "trace",
                "connections", "attempts", "outlierDetection", "resolution");
        assertThat(channel).containsEntry("id", 1).containsEntry("name", "orders")
                .containsEntry("target", "dns:///orders.internal:8443").containsEntry("state", "READY")
                .containsEntry("lbPolicy", "round_robin");
        assertThat(map(channel.get("calls"))).containsOnlyKeys("started", "succeeded", "failed", "lastStarted")
                .containsEntry("started", 10).containsEntry("succeeded", 9).containsEntry("failed", 1)
                .containsEntry("lastStarted", "2026-11-24T10:00:00Z");
        assertThat(map(channel.get("connections"))).containsOnlyKeys("attemptsSucceeded", "attemptsFailed",
                "disconnections").containsEntry("attemptsSucceeded", 4).containsEntry("attemptsFailed", 2)
                .containsEntry("disconnections", 3);
        assertThat(map(channel.get("attempts"))).containsOnlyKeys("retries", "transparentRetries", "hedges",
                "throttled").containsEntry("retries", 5).containsEntry("transparentRetries", 6)
                .containsEntry("hedges", 7).containsEntry("throttled", 8);
        Map<String, Object> trace = first(channel.get("trace"));
        assertThat(trace).containsOnlyKeys("time", "severity", "description")
                .containsEntry("time", "2026-11-24T10:00:00Z").containsEntry("severity", "INFO")
                .containsEntry("description", "Channel created");
    }

    @Test
    void subchannelAndSocketPinEveryDocumentedField() {
        Map<String, Object> channel = toMap(ChannelDescriptor.of("orders", snapshot()));

        Map<String, Object> subchannel = first(channel.get("subchannels"));
        assertThat(subchannel).containsOnlyKeys("id", "addresses", "state", "calls", "sockets", "trace", "connections",
                "health", "balancer").containsEntry("id", 2).containsEntry("addresses", List.of("10.0.0.7:8443"))
                .containsEntry("state", "READY");
        assertThat(map(subchannel.get("calls"))).containsEntry("started", 5).containsEntry("succeeded", 5)
                .containsEntry("failed", 0);
        assertThat(map(first(subchannel.get("trace")))).containsEntry("severity", "WARNING");
        assertThat(map(subchannel.get("connections"))).containsOnlyKeys("attemptsSucceeded", "attemptsFailed",
                "disconnections").containsEntry("attemptsSucceeded", 2).containsEntry("attemptsFailed", 1)
                .containsEntry("disconnections", 1);
        assertThat(map(subchannel.get("health"))).containsOnlyKeys("state", "serviceName", "description")
                .containsEntry("state", "NOT_SERVING").containsEntry("serviceName", "orders.v1.Orders")
                .containsEntry("description", "Health service answered NOT_SERVING for 'orders.v1.Orders'");

        Map<String, Object> socket = first(subchannel.get("sockets"));
        assertThat(socket).containsOnlyKeys("id", "local", "remote", "streams", "messages", "keepAlivesSent",
                "flowControl", "security", "tls");
        assertThat(socket).containsEntry("id", 3).containsEntry("local", "10.0.0.2:51234")
                .containsEntry("remote", "10.0.0.7:8443").containsEntry("keepAlivesSent", 0)
                .containsEntry("security", "TLSv1.3 TLS_AES_128_GCM_SHA256 peer=CN=orders");
        assertThat(map(socket.get("tls"))).containsOnlyKeys("protocol", "cipher", "peerSubject")
                .containsEntry("protocol", "TLSv1.3").containsEntry("cipher", "TLS_AES_128_GCM_SHA256")
                .containsEntry("peerSubject", "CN=orders");
        assertThat(map(socket.get("streams"))).containsOnlyKeys("started", "succeeded", "failed", "lastStarted")
                .containsEntry("started", 5).containsEntry("succeeded", 5).containsEntry("failed", 0)
                .containsEntry("lastStarted", "2026-11-24T10:00:01.250Z");
        assertThat(map(socket.get("messages"))).containsOnlyKeys("sent", "received", "lastSent", "lastReceived")
                .containsEntry("sent", 5).containsEntry("received", 5)
                .containsEntry("lastSent", "2026-11-24T10:00:01.250Z")
                .containsEntry("lastReceived", "2026-11-24T10:00:01.250Z");
        assertThat(map(socket.get("flowControl"))).containsOnlyKeys("localWindow", "remoteWindow")
                .containsEntry("localWindow", 1048576).containsEntry("remoteWindow", 65535);
    }

    @Test
    void outlierDetectionPinsEjectionsByA91Labels() {
        EjectionCounter counter = new EjectionCounter();
        counter.ejected(2, true);
        counter.enforced(DetectionMethod.FAILURE_PERCENTAGE);
        counter.enforced(DetectionMethod.FAILURE_PERCENTAGE);
        counter.unenforced(DetectionMethod.SUCCESS_RATE, UnenforcedReason.MAX_EJECTION_OVERFLOW);
        ChannelSnapshot base = snapshot();
        ChannelSnapshot ejecting = new ChannelSnapshot(base.id(), base.target(), base.state(), base.lbPolicy(),
                base.calls(), base.subchannels(), base.trace(), base.connections(), base.attempts(), counter.snapshot());

        Map<String, Object> outlier = map(toMap(ChannelDescriptor.of("orders", ejecting)).get("outlierDetection"));

        assertThat(outlier).containsOnlyKeys("ejectedSubchannels", "ejectionsEnforced", "ejectionsUnenforced")
                .containsEntry("ejectedSubchannels", List.of(2));
        assertThat(map(outlier.get("ejectionsEnforced"))).containsOnlyKeys("success_rate", "failure_percentage")
                .containsEntry("success_rate", 0).containsEntry("failure_percentage", 2);
        Map<String, Object> unenforced = map(outlier.get("ejectionsUnenforced"));
        assertThat(unenforced).containsOnlyKeys("success_rate", "failure_percentage");
        assertThat(map(unenforced.get("success_rate"))).containsOnlyKeys("enforcement_percentage",
                "max_ejection_overflow").containsEntry("enforcement_percentage", 0)
                .containsEntry("max_ejection_overflow", 1);
        Map<String, Object> none = map(toMap(ChannelDescriptor.of("orders", base)).get("outlierDetection"));
        assertThat(none).containsEntry("ejectedSubchannels", List.of());
    }

    @Test
    void resolutionPinsWhatTheResolverReported() {
        ChannelSnapshot base = snapshot();
        ChannelSnapshot resolved = new ChannelSnapshot(base.id(), base.target(), base.state(), base.lbPolicy(),
                base.calls(), base.subchannels(), base.trace(), base.connections(), base.attempts(), base.ejections(),
                base.weights(), new ResolutionStats(T0, 4, 7, 1, "UNAVAILABLE: registry unreachable", T1,
                        Map.of("watch", "CONNECTED", "revision", 1234L)));

        Map<String, Object> resolution = map(toMap(ChannelDescriptor.of("orders", resolved)).get("resolution"));

        assertThat(resolution).containsOnlyKeys("lastUpdate", "endpoints", "updates", "errors", "lastError",
                "lastErrorTime", "resolver").containsEntry("lastUpdate", "2026-11-24T10:00:00Z")
                .containsEntry("endpoints", 4).containsEntry("updates", 7).containsEntry("errors", 1)
                .containsEntry("lastError", "UNAVAILABLE: registry unreachable")
                .containsEntry("lastErrorTime", "2026-11-24T10:00:01.250Z");
        assertThat(map(resolution.get("resolver"))).containsOnlyKeys("revision", "watch")
                .containsEntry("revision", 1234).containsEntry("watch", "CONNECTED");
        Map<String, Object> none = map(toMap(ChannelDescriptor.of("orders", base)).get("resolution"));
        assertThat(none).containsEntry("lastUpdate", null).containsEntry("endpoints", -1)
                .containsEntry("resolver", Map.of());
    }

    @Test
    void absentTimesAndPlaintextSecurityAreNull() {
        SocketStats fresh = new SocketStats(null, new InetSocketAddress("10.0.0.7", 8443), 0, 0, 0, 0, 0, 0,
                null, null, null, 65535, 65535, null);
        ChannelSnapshot idle = new ChannelSnapshot(4, "static:///10.0.0.7:8443", ConnectivityState.IDLE, "pick_first",
                new CallStats(0, 0, 0, null),
                List.of(new SubchannelSnapshot(5, List.of("10.0.0.7:8443"), ConnectivityState.IDLE,
                        new CallStats(0, 0, 0, null), List.of(new SocketSnapshot(6, fresh)), List.of())),
                List.of());

        Map<String, Object> channel = toMap(ChannelDescriptor.of("inventory", idle));

        assertThat(map(channel.get("calls"))).containsEntry("lastStarted", null);
        assertThat(map(first(channel.get("subchannels")).get("health"))).containsEntry("state", "NOT_CHECKED")
                .containsEntry("serviceName", null).containsEntry("description", null);
        assertThat(map(channel.get("connections"))).containsEntry("attemptsSucceeded", 0);
        assertThat(map(channel.get("attempts"))).containsEntry("retries", 0).containsEntry("transparentRetries", 0)
                .containsEntry("hedges", 0).containsEntry("throttled", 0);
        Map<String, Object> socket = first(first(channel.get("subchannels")).get("sockets"));
        assertThat(socket).containsEntry("local", null).containsEntry("security", null)
                .containsEntry("tls", null);
        assertThat(map(socket.get("streams"))).containsEntry("lastStarted", null);
        assertThat(map(socket.get("messages"))).containsEntry("lastSent", null).containsEntry("lastReceived", null);
    }

    private static ChannelSnapshot snapshot() {
        SocketStats stats = new SocketStats(new InetSocketAddress("10.0.0.2", 51234),
                new InetSocketAddress("10.0.0.7", 8443), 5, 5, 0, 5, 5, 0, T1, T1, T1, 1048576, 65535,
                new TlsSession("TLSv1.3", "TLS_AES_128_GCM_SHA256", "CN=orders"));
        SubchannelSnapshot subchannel = new SubchannelSnapshot(2, List.of("10.0.0.7:8443"), ConnectivityState.READY,
                new CallStats(5, 5, 0, T0), List.of(new SocketSnapshot(3, stats)),
                List.of(new TraceEvent(T0, TraceEvent.Severity.WARNING, "Connection lost")),
                new ConnectionStats(2, 1, 1), new SubchannelHealth(SubchannelHealth.State.NOT_SERVING,
                        "orders.v1.Orders", "Health service answered NOT_SERVING for 'orders.v1.Orders'"));
        return new ChannelSnapshot(1, "dns:///orders.internal:8443", ConnectivityState.READY, "round_robin",
                new CallStats(10, 9, 1, T0), List.of(subchannel),
                List.of(new TraceEvent(T0, TraceEvent.Severity.INFO, "Channel created")), new ConnectionStats(4, 2, 3),
                new AttemptStats(5, 6, 7, 8));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> toMap(Object body) {
        return json.readValue(json.writeValueAsString(body), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> first(Object list) {
        assertThat(list).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).isNotEmpty();
        return map(((List<?>) list).get(0));
    }
}
