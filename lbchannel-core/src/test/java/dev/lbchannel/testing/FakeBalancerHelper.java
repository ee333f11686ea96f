package dev.lbchannel.testing;

import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ForwardingSubchannel;
import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.balancer.WeightUpdateReporter;
import dev.lbchannel.orca.OrcaLoadReport;
import dev.lbchannel.orca.OrcaLoadReportListener;
import dev.lbchannel.orca.OrcaOobSubscription;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * The channel as a balancer unit test sees it: a real serializer whose uncaught exceptions the
 * test checks, fake subchannels, a fake clock, and a record of every state and picker published.
 */
public final class FakeBalancerHelper implements BalancerHelper {

    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private final Serializer serializer = new Serializer((t, e) -> uncaught.add(e));
    private final FakeScheduler clock = new FakeScheduler();
    private final List<FakeSubchannel> subchannels = new ArrayList<>();
    private final List<SubchannelOptions> subchannelOptions = new ArrayList<>();
    private final List<ConnectivityState> states = new ArrayList<>();
    private final Map<Subchannel, Map<String, LongSupplier>> gauges = new HashMap<>();
    private final List<OobWatch> oobWatches = new ArrayList<>();
    private final List<WeightUpdate> weightUpdates = new ArrayList<>();
    private ConnectivityState state;
    private Picker picker;
    private int refreshes;

    public List<Throwable> uncaught() {
        return uncaught;
    }

    public List<FakeSubchannel> subchannels() {
        return subchannels;
    }

    /** The options each subchannel was created with, in creation order. */
    public List<SubchannelOptions> subchannelOptions() {
        return subchannelOptions;
    }

    /** Every state published, in order. */
    public List<ConnectivityState> states() {
        return states;
    }

    public ConnectivityState state() {
        return state;
    }

    public int refreshes() {
        return refreshes;
    }

    public FakeScheduler clock() {
        return clock;
    }

    /** Picks with the last published picker, inside the serializer. */
    public PickResult pick() {
        return pick(ARGS);
    }

    /** Picks for {@code args} with the last published picker, inside the serializer. */
    public PickResult pick(PickArgs args) {
        PickResult[] result = new PickResult[1];
        serializer.execute(() -> result[0] = picker.pick(args));
        return result[0];
    }

    /** The last published picker, to pick from any thread as RPCs do. */
    public Picker picker() {
        return picker;
    }

    /**
     * What the policy shows channelz as {@code name} for {@code subchannel} (a fake one or a
     * wrapper of one), now; {@code null} when it shows nothing under that name.
     */
    public Long gauge(Subchannel subchannel, String name) {
        LongSupplier value = gauges.getOrDefault(unwrap(subchannel), Map.of()).get(name);
        return value == null ? null : value.getAsLong();
    }

    private static Subchannel unwrap(Subchannel subchannel) {
        Subchannel current = subchannel;
        while (current instanceof ForwardingSubchannel wrapper) {
            current = wrapper.delegate();
        }
        return current;
    }

    @Override
    public Subchannel createSubchannel(Endpoint endpoint) {
        return createSubchannel(endpoint, SubchannelOptions.DEFAULT);
    }

    @Override
    public Subchannel createSubchannel(Endpoint endpoint, SubchannelOptions options) {
        serializer.assertInContext();
        subchannelOptions.add(options);
        FakeSubchannel subchannel = new FakeSubchannel(this, endpoint);
        subchannels.add(subchannel);
        return subchannel;
    }

    @Override
    public void updateState(ConnectivityState newState, Picker newPicker) {
        serializer.assertInContext();
        state = newState;
        picker = newPicker;
        states.add(newState);
    }

    @Override
    public void refreshNameResolution() {
        serializer.assertInContext();
        refreshes++;
    }

    @Override
    public void subchannelGauge(Subchannel subchannel, String name, LongSupplier value) {
        serializer.assertInContext();
        gauges.computeIfAbsent(unwrap(subchannel), s -> new HashMap<>()).put(name, value);
    }

    /** One out-of-band load report subscription a policy made (gRFC A51). */
    public static final class OobWatch {
        public final Subchannel subchannel;
        public final Duration interval;
        private final OrcaLoadReportListener listener;
        private boolean cancelled;

        OobWatch(Subchannel subchannel, Duration interval, OrcaLoadReportListener listener) {
            this.subchannel = subchannel;
            this.interval = interval;
            this.listener = listener;
        }

        public boolean cancelled() {
            return cancelled;
        }
    }

    /** One weight update a weighted policy reported (gRFC A78). */
    public record WeightUpdate(int notYetUsable, int stale, boolean roundRobinFallback) {
    }

    /** Every out-of-band subscription made, cancelled ones included, in order. */
    public List<OobWatch> oobWatches() {
        return oobWatches;
    }

    /** Every weight update reported, in order. */
    public List<WeightUpdate> weightUpdates() {
        return weightUpdates;
    }

    /** Sends {@code report} out of band, from inside the serializer, to the live subscriptions for {@code subchannel}. */
    public void reportOutOfBand(Subchannel subchannel, OrcaLoadReport report) {
        serializer.execute(() -> {
            for (OobWatch watch : List.copyOf(oobWatches)) {
                if (!watch.cancelled && unwrap(watch.subchannel) == unwrap(subchannel)) {
                    watch.listener.onLoadReport(report);
                }
            }
        });
    }

    @Override
    public OrcaOobSubscription watchOrcaReports(Subchannel subchannel, Duration reportInterval,
            OrcaLoadReportListener listener) {
        serializer.assertInContext();
        OobWatch watch = new OobWatch(subchannel, reportInterval, listener);
        oobWatches.add(watch);
        return () -> watch.cancelled = true;
    }

    @Override
    public WeightUpdateReporter weightUpdateReporter() {
        return (notYetUsable, stale, fallback) -> {
            serializer.assertInContext();
            weightUpdates.add(new WeightUpdate(notYetUsable, stale, fallback));
        };
    }

    @Override
    public String authority() {
        return "test.example:443";
    }

    @Override
    public Serializer serializer() {
        return serializer;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return clock;
    }

    /** An endpoint at 127.0.0.1:{1000+n}, one address; no name lookup. */
    public static Endpoint endpoint(int n) {
        return Endpoint.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1000 + n));
    }

    private static final PickArgs ARGS = new PickArgs() {
        @Override
        public MethodDescriptor<?, ?> method() {
            throw new UnsupportedOperationException("balancer unit tests pick without a method");
        }

        @Override
        public Metadata headers() {
            return new Metadata();
        }

        @Override
        public CallOptions callOptions() {
            return CallOptions.DEFAULT;
        }
    };
}
