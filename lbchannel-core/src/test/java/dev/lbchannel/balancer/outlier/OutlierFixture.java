package dev.lbchannel.balancer.outlier;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.balancer.EjectionReporter;
import dev.lbchannel.balancer.ForwardingBalancerHelper;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.channelz.DetectionMethod;
import dev.lbchannel.channelz.UnenforcedReason;
import dev.lbchannel.config.Json;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointList;
import dev.lbchannel.testing.FakeBalancerHelper;
import dev.lbchannel.testing.FakeSubchannel;
import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Status;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.lbchannel.testing.FakeBalancerHelper.endpoint;

/**
 * An {@code outlier_detection} balancer over {@code round_robin} on fake subchannels and a fake
 * clock, with a dice the test sets and a record of what it reported for channelz and meters.
 */
final class OutlierFixture implements EjectionReporter {

    static final Status OK = Status.OK;
    static final Status FAIL = Status.UNAVAILABLE.withDescription("test failure");

    final FakeBalancerHelper fake = new FakeBalancerHelper();
    /** What the dice shows next, in [0, 100). */
    int roll;
    final Set<Subchannel> ejectedNow = new HashSet<>();
    final Map<String, Integer> counts = new LinkedHashMap<>();
    private final BalancerHelper helper = new Reporting();
    private final OutlierDetectionBalancerProvider provider =
            new OutlierDetectionBalancerProvider(() -> fake.clock().nowNanos(), () -> roll);
    private final Balancer balancer = provider.newBalancer(helper);
    private List<Endpoint> endpoints = List.of();

    /** Resolves {@code n} endpoints with the config {@code json}, and makes every subchannel READY. */
    OutlierFixture start(int n, String json) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(endpoint(i));
        }
        accept(EndpointList.of(list), json); // so a test may go on with a list derived from it
        for (FakeSubchannel sub : fake.subchannels()) {
            sub.report(ConnectivityStateInfo.forNonError(ConnectivityState.READY));
        }
        return this;
    }

    /** What the last update resolved. */
    List<Endpoint> endpoints() {
        return endpoints;
    }

    Status accept(List<Endpoint> list, String json) {
        endpoints = list;
        Object config = provider.parseConfig(Json.parseObject(json), BalancerRegistry.builtIns());
        Status[] result = new Status[1];
        fake.serializer().execute(() -> result[0] =
                balancer.acceptResolvedEndpoints(new ResolvedEndpoints(list, config, Attributes.EMPTY)));
        return result[0];
    }

    /** The counted pick result of endpoint {@code n} (1-based), found by picking round the ring. */
    PickResult resultOf(int n) {
        Endpoint wanted = endpoint(n);
        for (int i = 0; i < 4 * endpoints.size(); i++) {
            PickResult result = fake.pick();
            if (result.subchannel() != null && result.subchannel().endpoint().equals(wanted)) {
                return result;
            }
        }
        throw new AssertionError("endpoint " + n + " is never picked");
    }

    /** {@code ok} successes and {@code failed} failures ended on endpoint {@code n}. */
    void calls(int n, int ok, int failed) {
        PickResult result = resultOf(n);
        for (int i = 0; i < ok; i++) {
            result.outcomeListener().onCallEnded(OK);
        }
        for (int i = 0; i < failed; i++) {
            result.outcomeListener().onCallEnded(FAIL);
        }
    }

    /** The endpoints (1-based) picks reach now, over two turns of the ring. */
    Set<Integer> picked() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2 * endpoints.size(); i++) {
            PickResult result = fake.pick();
            if (result.subchannel() != null) {
                seen.add(endpoints.indexOf(result.subchannel().endpoint()) + 1);
            }
        }
        return seen;
    }

    void forwardSeconds(long seconds) {
        fake.clock().forward(seconds, TimeUnit.SECONDS);
    }

    int count(String what) {
        return counts.getOrDefault(what, 0);
    }

    void shutdown() {
        fake.serializer().execute(balancer::shutdown);
    }

    @Override
    public void ejectionChanged(Subchannel subchannel, boolean ejected) {
        if (ejected) {
            ejectedNow.add(subchannel);
        } else {
            ejectedNow.remove(subchannel);
        }
    }

    @Override
    public void ejectionEnforced(DetectionMethod method) {
        counts.merge("enforced " + method.label(), 1, Integer::sum);
    }

    @Override
    public void ejectionUnenforced(DetectionMethod method, UnenforcedReason reason) {
        counts.merge("unenforced " + method.label() + " " + reason.label(), 1, Integer::sum);
    }

    /** The fake helper, reporting ejections to this fixture. */
    private final class Reporting extends ForwardingBalancerHelper {
        @Override
        protected BalancerHelper delegate() {
            return fake;
        }

        @Override
        public EjectionReporter ejectionReporter() {
            return OutlierFixture.this;
        }
    }
}
