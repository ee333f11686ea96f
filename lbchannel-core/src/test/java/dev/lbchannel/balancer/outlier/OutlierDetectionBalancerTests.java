package dev.lbchannel.balancer.outlier;

import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointAddresses;
import dev.lbchannel.resolver.EndpointList;
import io.grpc.ConnectivityState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.SocketAddress;
import java.util.List;
import java.util.Set;

import static dev.lbchannel.testing.FakeBalancerHelper.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

/** gRFC A50's rules, one per test, on a fake clock: detection, caps, ejection time, un-ejection. */
@Timeout(10)
class OutlierDetectionBalancerTests {

    /** Failure percentage only, every threshold at A50's default but a 10 s interval. */
    private static final String FAILURE_PERCENTAGE = """
            {"interval": "10s", "baseEjectionTime": "30s", "maxEjectionPercent": 20,
             "failurePercentageEjection": {},
             "childPolicy": [{"round_robin": {}}]}""";

    private final OutlierFixture od = new OutlierFixture();

    @AfterEach
    void noUncaughtExceptions() {
        od.shutdown();
        assertThat(od.fake.uncaught()).isEmpty();
    }

    private void healthyAndOneFailing(int failingOk, int failingFailed) {
        for (int n = 1; n <= 4; n++) {
            od.calls(n, 100, 0);
        }
        od.calls(5, failingOk, failingFailed);
    }

    @Test
    void anEndpointFailingEveryCallIsEjectedAtTheNextSweepAndGetsNoPicks() {
        od.start(5, FAILURE_PERCENTAGE);
        healthyAndOneFailing(0, 100);
        assertThat(od.picked()).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        od.forwardSeconds(10);
        assertThat(od.picked()).containsExactlyInAnyOrder(1, 2, 3, 4);
        assertThat(od.ejectedNow).hasSize(1);
        assertThat(od.count("enforced failure_percentage")).isEqualTo(1);
        assertThat(od.fake.state()).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void aHealthCheckingChildPolicyKeepsItsHealthChecksUnderOutlierDetection() {
        od.start(5, FAILURE_PERCENTAGE);
        assertThat(od.fake.subchannelOptions()).hasSize(5).containsOnly(SubchannelOptions.HEALTH_CHECKED);
        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10);
        assertThat(od.picked()).containsExactlyInAnyOrder(1, 2, 3, 4);
    }

    @Test
    void failurePercentageMustExceedTheThreshold() {
        od.start(5, FAILURE_PERCENTAGE);
        healthyAndOneFailing(15, 85); // exactly 85 %: not more than the threshold
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).isEmpty();
        healthyAndOneFailing(14, 86);
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).hasSize(1);
    }

    @Test
    void failurePercentageNeedsRequestVolumeAndMinimumHosts() {
        od.start(5, FAILURE_PERCENTAGE);
        for (int n = 1; n <= 4; n++) {
            od.calls(n, 100, 0);
        }
        od.calls(5, 0, 49); // below requestVolume 50
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).isEmpty();

        for (int n = 1; n <= 3; n++) {
            od.calls(n, 100, 0);
        }
        od.calls(5, 0, 100); // only four endpoints with volume: below minimumHosts 5
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).isEmpty();
    }

    @Test
    void successRateEjectsBelowMeanMinusStdevFactorTimesStdev() {
        // rates 1, 1, 1, 1, 0.5: mean 0.9, stdev 0.2; 1.9 stdevs → 0.52, so 0.5 is out
        od.start(5, """
                {"interval": "10s", "maxEjectionPercent": 20, "successRateEjection": {},
                 "childPolicy": [{"round_robin": {}}]}""");
        healthyAndOneFailing(50, 50);
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).hasSize(1);
        assertThat(od.count("enforced success_rate")).isEqualTo(1);
    }

    @Test
    void successRateSparesAnEndpointWithinTheFactor() {
        // 2.6 stdevs → 0.38: 0.5 stays
        od.start(5, """
                {"interval": "10s", "successRateEjection": {"stdevFactor": 2600},
                 "childPolicy": [{"round_robin": {}}]}""");
        healthyAndOneFailing(50, 50);
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).isEmpty();
    }

    @Test
    void successRateNeedsRequestVolumeAndMinimumHosts() {
        od.start(5, """
                {"interval": "10s", "successRateEjection": {"requestVolume": 101},
                 "childPolicy": [{"round_robin": {}}]}""");
        healthyAndOneFailing(0, 100); // 100 calls each: below 101
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).isEmpty();
        od.accept(List.of(endpoint(1), endpoint(2), endpoint(3), endpoint(4), endpoint(5)), """
                {"interval": "10s", "successRateEjection": {"minimumHosts": 6},
                 "childPolicy": [{"round_robin": {}}]}""");
        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).isEmpty();
    }

    @Test
    void neverMoreThanMaxEjectionPercentButAlwaysOne() {
        od.start(5, FAILURE_PERCENTAGE.replace("\"maxEjectionPercent\": 20", "\"maxEjectionPercent\": 10"));
        od.calls(1, 100, 0);
        od.calls(2, 100, 0);
        od.calls(3, 0, 100);
        od.calls(4, 0, 100);
        od.calls(5, 0, 100);
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).hasSize(1); // 10 % of 5 is none, yet one may always go
        assertThat(od.count("unenforced failure_percentage max_ejection_overflow")).isEqualTo(2);
    }

    @Test
    void maxEjectionPercentCountsEndpointsAlreadyEjected() {
        od.start(5, """
                {"interval": "10s", "maxEjectionPercent": 40, "failurePercentageEjection": {"minimumHosts": 4},
                 "childPolicy": [{"round_robin": {}}]}""");
        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).hasSize(1);
        od.calls(1, 0, 100);
        od.calls(2, 0, 100);
        od.calls(3, 100, 0);
        od.calls(4, 100, 0);
        od.forwardSeconds(10); // one of 5 out already: one more makes 40 %, the third is over the cap
        assertThat(od.ejectedNow).hasSize(2);
        assertThat(od.count("unenforced failure_percentage max_ejection_overflow")).isEqualTo(1);
        assertThat(od.picked()).hasSize(3);
    }

    @Test
    void enforcementPercentageRollsTheDice() {
        od.start(5, """
                {"interval": "10s", "maxEjectionPercent": 20,
                 "failurePercentageEjection": {"enforcementPercentage": 50},
                 "childPolicy": [{"round_robin": {}}]}""");
        od.roll = 50;
        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).isEmpty();
        assertThat(od.count("unenforced failure_percentage enforcement_percentage")).isEqualTo(1);
        od.roll = 49;
        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).hasSize(1);
    }

    @Test
    void ejectionTimeGrowsWithEachEjectionAndShrinksWhileHealthy() {
        od.start(5, FAILURE_PERCENTAGE);
        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10); // t=10: ejected, multiplier 1 → 30 s
        od.forwardSeconds(30); // t=40: not yet after 10 + 30
        assertThat(od.picked()).doesNotContain(5);
        od.forwardSeconds(10); // t=50: un-ejected, the child sees it READY again
        assertThat(od.picked()).contains(5);
        assertThat(od.ejectedNow).isEmpty();

        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10); // t=60: ejected again, multiplier 2 → 60 s
        od.forwardSeconds(60); // t=120
        assertThat(od.picked()).doesNotContain(5);
        od.forwardSeconds(10); // t=130
        assertThat(od.picked()).contains(5);

        od.forwardSeconds(20); // two healthy sweeps: multiplier back to 0
        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10); // t=160: ejected, multiplier 1 → 30 s again
        od.forwardSeconds(40); // t=200: after 160 + 30
        assertThat(od.picked()).contains(5);
    }

    @Test
    void ejectionTimeIsCappedAtTheLargerOfBaseAndMax() {
        OutlierDetectionConfig config = (OutlierDetectionConfig) new OutlierDetectionBalancerProvider().parseConfig(
                dev.lbchannel.config.Json.parseObject("""
                        {"baseEjectionTime": "30s", "maxEjectionTime": "100s", "childPolicy": [{"round_robin": {}}]}"""));
        assertThat(config.ejectionNanos(3)).isEqualTo(90_000_000_000L);
        assertThat(config.ejectionNanos(4)).isEqualTo(100_000_000_000L);
        assertThat(config.ejectionNanos(Integer.MAX_VALUE)).isEqualTo(100_000_000_000L);
        OutlierDetectionConfig shortMax = (OutlierDetectionConfig) new OutlierDetectionBalancerProvider().parseConfig(
                dev.lbchannel.config.Json.parseObject("""
                        {"baseEjectionTime": "30s", "maxEjectionTime": "10s", "childPolicy": [{"round_robin": {}}]}"""));
        assertThat(shortMax.ejectionNanos(2)).isEqualTo(30_000_000_000L);
    }

    @Test
    void picksReuseOneResultPerSubchannelAndCountOnlyWhenDetecting() {
        od.start(5, FAILURE_PERCENTAGE);
        PickResult first = od.resultOf(3);
        assertThat(od.resultOf(3)).isSameAs(first);
        assertThat(first.outcomeListener()).isNotNull();

        od.accept(List.of(endpoint(1), endpoint(2), endpoint(3), endpoint(4), endpoint(5)),
                "{\"childPolicy\": [{\"round_robin\": {}}]}");
        assertThat(od.resultOf(3).outcomeListener()).isNull();
        assertThat(od.fake.clock().pendingDelaysNanos()).isEmpty();
    }

    @Test
    void turningDetectionOffUnejectsEverything() {
        od.start(5, FAILURE_PERCENTAGE);
        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10);
        assertThat(od.picked()).doesNotContain(5);
        od.accept(List.of(endpoint(1), endpoint(2), endpoint(3), endpoint(4), endpoint(5)),
                "{\"childPolicy\": [{\"round_robin\": {}}]}");
        assertThat(od.picked()).contains(5);
        assertThat(od.ejectedNow).isEmpty();
    }

    @Test
    void aNewConfigKeepsTheSweepPhase() {
        od.start(5, FAILURE_PERCENTAGE);
        od.forwardSeconds(4);
        od.accept(List.of(endpoint(1), endpoint(2), endpoint(3), endpoint(4), endpoint(5)), FAILURE_PERCENTAGE);
        assertThat(od.fake.clock().pendingDelaysNanos()).containsExactly(6_000_000_000L);
        od.forwardSeconds(6);
        assertThat(od.fake.clock().pendingDelaysNanos()).containsExactly(10_000_000_000L);
    }

    @Test
    void aRemovedEndpointTakesItsEjectionAlong() {
        od.start(5, FAILURE_PERCENTAGE);
        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).hasSize(1);
        od.accept(List.of(endpoint(1), endpoint(2), endpoint(3), endpoint(4)), FAILURE_PERCENTAGE);
        assertThat(od.ejectedNow).isEmpty();
        assertThat(od.fake.subchannels().get(4).isShutdown()).isTrue();
        assertThat(od.picked()).isEqualTo(Set.of(1, 2, 3, 4));
    }

    @Test
    void aDerivedListsChangesMoveTrackersWithoutReadingTheList() {
        od.start(5, FAILURE_PERCENTAGE);
        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).hasSize(1);
        EndpointList started = (EndpointList) od.endpoints();
        Endpoint failing = started.get(4);

        EndpointList removed = started.without(failing);
        od.accept(removed, FAILURE_PERCENTAGE);
        assertThat(removed.isWorkedOut()).as("outlier_detection or its child read the list").isFalse();
        assertThat(od.ejectedNow).isEmpty();
        assertThat(od.fake.subchannels().get(4).isShutdown()).isTrue();
        assertThat(od.picked()).isEqualTo(Set.of(1, 2, 3, 4));

        // Back again: a new tracker (not ejected), and its calls count towards the next sweep.
        EndpointList back = removed.withAdded(endpoint(5));
        od.accept(back, FAILURE_PERCENTAGE);
        assertThat(back.isWorkedOut()).isFalse();
        od.fake.subchannels().get(5).report(io.grpc.ConnectivityStateInfo.forNonError(ConnectivityState.READY));
        assertThat(od.picked()).isEqualTo(Set.of(1, 2, 3, 4, 5));
        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10);
        assertThat(od.picked()).isEqualTo(Set.of(1, 2, 3, 4));
    }

    @Test
    void aSubchannelCreatedForAnEjectedEndpointStartsEjected() {
        od.start(5, FAILURE_PERCENTAGE);
        healthyAndOneFailing(0, 100);
        od.forwardSeconds(10);
        // A new child (a pass-through outlier_detection over round_robin) makes new subchannels
        // for the same endpoints; the one for the ejected endpoint starts ejected.
        od.accept(List.of(endpoint(1), endpoint(2), endpoint(3), endpoint(4), endpoint(5)), FAILURE_PERCENTAGE.replace(
                "[{\"round_robin\": {}}]", "[{\"outlier_detection\": {\"childPolicy\": [{\"round_robin\": {}}]}}]"));
        assertThat(od.fake.subchannels()).hasSize(10);
        od.fake.subchannels().subList(5, 10).forEach(s -> s.report(
                io.grpc.ConnectivityStateInfo.forNonError(ConnectivityState.READY)));
        assertThat(od.picked()).containsExactlyInAnyOrder(1, 2, 3, 4);
        assertThat(od.ejectedNow).hasSize(1);
    }

    @Test
    void aChildSubchannelSpanningSeveralEndpointsIsNotTracked() {
        od.start(5, FAILURE_PERCENTAGE.replace("round_robin", "pick_first"));
        PickResult result = od.fake.pick();
        assertThat(result.subchannel().endpoint().addresses()).hasSize(5);
        for (int i = 0; i < 200; i++) {
            result.outcomeListener().onCallEnded(OutlierFixture.FAIL);
        }
        od.forwardSeconds(10);
        assertThat(od.ejectedNow).isEmpty();

        // A derived list's change reaches pick_first's merged list, which nobody reads to retrack it.
        EndpointList started = (EndpointList) od.endpoints();
        EndpointList changed = started.without(started.get(0)).withAdded(endpoint(6));
        od.accept(changed, FAILURE_PERCENTAGE.replace("round_robin", "pick_first"));
        List<SocketAddress> merged = od.fake.subchannels().get(0).endpoint().addresses();
        assertThat(merged).isInstanceOf(EndpointAddresses.class);
        assertThat(((EndpointAddresses) merged).isWorkedOut()).isFalse();
        assertThat(changed.isWorkedOut()).isFalse();
    }
}
