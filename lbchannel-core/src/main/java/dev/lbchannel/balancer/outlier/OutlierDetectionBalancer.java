package dev.lbchannel.balancer.outlier;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ChildBalancer;
import dev.lbchannel.balancer.EjectionReporter;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointList;
import dev.lbchannel.serializer.Serializer;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * gRFC A50's {@code outlier_detection}: keeps a tracker per resolved endpoint (keyed by its
 * addresses, attributes ignored), hands the child wrapped subchannels, counts each picked call's
 * outcome, and sweeps once per interval on a timer that hops into the serializer. With neither
 * algorithm configured it only passes through: no counting, no timer, nothing ejected. A change
 * of child policy replaces the child at once (its subchannels reconnect). Runs on the
 * serializer.
 */
final class OutlierDetectionBalancer implements Balancer {

    private final BalancerHelper helper;
    private final LongSupplier nanoClock;
    private final IntSupplier percentRoll;
    /** By {@link #key}: the endpoint's address, or the set of its addresses when it has several. */
    private final Map<Object, EndpointTracker> trackers = new HashMap<>();
    /**
     * The most addresses an endpoint given a tracker ever listed (never lowered): a subchannel over
     * more (pick_first's merged list) can match no tracker, and is not keyed, which would copy them.
     */
    private int widestEndpoint = 1;
    private final Set<OutlierSubchannel> subchannels = new LinkedHashSet<>();
    /** The subchannels whose endpoint has no tracker: the only ones a new tracker may concern. */
    private final Set<OutlierSubchannel> untracked = new LinkedHashSet<>();
    /** Numbers the updates, so a tracker knows whether this update listed it. */
    private int generation;
    /** The endpoint list of the last update, to recognise a list derived from it. */
    private @Nullable List<Endpoint> accepted;
    private @Nullable OutlierDetectionConfig config;
    private final ChildBalancer child = new ChildBalancer();
    private ConnectivityState childState = ConnectivityState.CONNECTING;
    private Picker childPicker = args -> PickResult.withNoResult();
    private Serializer.@Nullable ScheduledHandle timer;
    private boolean timerStarted;
    private long timerStartNanos;
    private boolean shutdown;

    OutlierDetectionBalancer(BalancerHelper helper, LongSupplier nanoClock, IntSupplier percentRoll) {
        this.helper = helper;
        this.nanoClock = nanoClock;
        this.percentRoll = percentRoll;
    }

    @Override
    public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
        helper.serializer().assertInContext();
        if (!(resolved.config() instanceof OutlierDetectionConfig next)) {
            Status error = Status.UNAVAILABLE.withDescription("outlier_detection needs its config block, with a"
                    + " childPolicy; set it in the service config's loadBalancingConfig");
            helper.updateState(ConnectivityState.TRANSIENT_FAILURE, args -> PickResult.withError(error));
            return error;
        }
        boolean detectionChanged = config == null || config.detects() != next.detects();
        config = next;
        updateTrackers(resolved);
        if (next.detects()) {
            startTimer(next);
        } else {
            stopDetecting();
        }
        Balancer target = childFor(next);
        if (detectionChanged) {
            publish(); // counting starts or stops with detection
        }
        return target.acceptResolvedEndpoints(
                new ResolvedEndpoints(resolved.endpoints(), next.childConfig(), resolved.attributes()));
    }

    /**
     * A50: a tracker per endpoint of this resolution, none for the rest. When the list is an
     * {@link EndpointList} derived from the last one, only its changes are looked up, O(1) in the
     * list's length; otherwise a hash lookup per endpoint and no allocation for one that stays.
     * Only the subchannels of a removed tracker, and the untracked ones when a tracker is added,
     * are looked at again.
     */
    private void updateTrackers(ResolvedEndpoints resolved) {
        List<Endpoint> endpoints = resolved.endpoints();
        List<EndpointList.Change> changes = EndpointList.changesSince(accepted, endpoints);
        accepted = null; // an update that throws half-way leaves the next one to read the whole list
        List<OutlierSubchannel> stale = new ArrayList<>(0);
        boolean added = false;
        if (changes != null) {
            added = applyChanges(changes, stale);
        } else {
            added = relist(endpoints, stale);
        }
        accepted = endpoints;
        if (added) {
            stale.addAll(untracked);
        }
        for (OutlierSubchannel subchannel : stale) {
            retrack(subchannel); // may tell the child of an ejection, which may change the set
        }
    }

    /** Whole-list update; returns whether a tracker was added, and adds the removed ones' subchannels to {@code stale}. */
    private boolean relist(List<Endpoint> endpoints, List<OutlierSubchannel> stale) {
        int update = ++generation;
        int before = trackers.size();
        int kept = 0;
        boolean added = false;
        for (int i = 0; i < endpoints.size(); i++) { // indexed: no iterator
            Endpoint endpoint = endpoints.get(i);
            Object key = key(endpoint);
            EndpointTracker tracker = trackers.get(key);
            if (tracker == null) {
                tracker = new EndpointTracker();
                trackers.put(key, tracker);
                widestEndpoint = Math.max(widestEndpoint, endpoint.addresses().size());
                added = true;
            } else if (tracker.listedIn != update) {
                tracker.listings = 1;
                kept++;
            } else {
                tracker.listings++;
            }
            tracker.listedIn = update;
        }
        if (kept < before) {
            for (Iterator<EndpointTracker> it = trackers.values().iterator(); it.hasNext(); ) {
                EndpointTracker tracker = it.next();
                if (tracker.listedIn != update) {
                    it.remove();
                    stale.addAll(tracker.subchannels());
                }
            }
        }
        return added;
    }

    /**
     * The changes of a derived list, every addition before any removal (an endpoint removed and
     * listed again keeps its tracker, as in a whole-list update); as {@link #relist}.
     */
    private boolean applyChanges(List<EndpointList.Change> changes, List<OutlierSubchannel> stale) {
        boolean added = false;
        for (int c = 0; c < changes.size(); c++) {
            List<Endpoint> additions = changes.get(c).added();
            for (int i = 0; i < additions.size(); i++) {
                Object key = key(additions.get(i));
                EndpointTracker tracker = trackers.get(key);
                if (tracker == null) {
                    trackers.put(key, new EndpointTracker());
                    widestEndpoint = Math.max(widestEndpoint, additions.get(i).addresses().size());
                    added = true;
                } else {
                    tracker.listings++;
                }
            }
        }
        for (int c = 0; c < changes.size(); c++) {
            List<Endpoint> removals = changes.get(c).removed();
            for (int i = 0; i < removals.size(); i++) {
                Object key = key(removals.get(i));
                EndpointTracker tracker = trackers.get(key);
                if (tracker != null && --tracker.listings == 0) {
                    trackers.remove(key);
                    stale.addAll(tracker.subchannels());
                }
            }
        }
        return added;
    }

    /** A50 keys an endpoint by its set of addresses; a one-address endpoint by that address, with no copy. */
    private static Object key(Endpoint endpoint) {
        List<SocketAddress> addresses = endpoint.addresses();
        return addresses.size() == 1 ? addresses.get(0) : Set.copyOf(addresses);
    }

    private Balancer childFor(OutlierDetectionConfig next) {
        return child.forPolicy(next.childPolicy(), () -> new OutlierChildHelper(helper, this));
    }

    /** A50: the first start waits a full interval on fresh counters; a restart keeps the phase. */
    private void startTimer(OutlierDetectionConfig next) {
        long delay;
        if (!timerStarted) {
            timerStarted = true;
            timerStartNanos = nanoClock.getAsLong();
            delay = next.interval().toNanos();
            for (EndpointTracker tracker : trackers.values()) {
                tracker.outcomes.reset();
            }
        } else {
            delay = Math.max(0, next.interval().toNanos() - (nanoClock.getAsLong() - timerStartNanos));
        }
        cancelTimer();
        timer = helper.serializer().schedule(this::sweep, delay, TimeUnit.NANOSECONDS, helper.scheduler());
    }

    /** A50: detection off un-ejects everything and forgets past ejections. */
    private void stopDetecting() {
        cancelTimer();
        timerStarted = false;
        for (EndpointTracker tracker : trackers.values()) {
            if (tracker.isEjected()) {
                tracker.uneject();
            }
            tracker.resetMultiplier();
        }
    }

    private void sweep() {
        OutlierDetectionConfig current = config;
        if (shutdown || current == null || !current.detects()) {
            return;
        }
        timerStartNanos = nanoClock.getAsLong();
        new EjectionSweep(current, trackers.values(), percentRoll, reporter(), timerStartNanos).run();
        timer = helper.serializer().schedule(this::sweep, current.interval().toNanos(), TimeUnit.NANOSECONDS,
                helper.scheduler());
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    // ---- from the child helper and the wrapped subchannels --------------------------------------

    OutlierSubchannel wrap(Subchannel created) {
        OutlierSubchannel wrapped = new OutlierSubchannel(created, this);
        subchannels.add(wrapped);
        retrack(wrapped);
        return wrapped;
    }

    /** A50's address-update rules: the subchannel follows its endpoint's tracker, if there is one. */
    void retrack(OutlierSubchannel subchannel) {
        Endpoint endpoint = subchannel.endpoint();
        EndpointTracker tracker = endpoint.addresses().size() > widestEndpoint ? null : trackers.get(key(endpoint));
        subchannel.track(tracker);
        if (tracker == null && subchannels.contains(subchannel)) {
            untracked.add(subchannel);
        } else {
            untracked.remove(subchannel);
        }
    }

    /** A wrapped subchannel shut down. */
    void forget(OutlierSubchannel subchannel) {
        subchannels.remove(subchannel);
        untracked.remove(subchannel);
        EndpointTracker tracker = subchannel.tracker();
        if (tracker != null) {
            tracker.remove(subchannel);
        }
    }

    void childState(OutlierChildHelper source, ConnectivityState state, Picker picker) {
        if (!child.isCurrent(source) || shutdown) {
            return; // a replaced child
        }
        childState = state;
        childPicker = picker;
        publish();
    }

    EjectionReporter reporter() {
        return helper.ejectionReporter();
    }

    private void publish() {
        boolean counting = config != null && config.detects();
        helper.updateState(childState, counting ? new CountingPicker(childPicker, this) : childPicker);
    }

    @Override
    public void handleResolutionError(Status error) {
        child.handleResolutionError(error, helper);
    }

    @Override
    public void requestConnection() {
        child.requestConnection();
    }

    @Override
    public void shutdown() {
        shutdown = true;
        cancelTimer();
        child.shutdown();
    }
}
