package dev.lbchannel.balancer.wrr;

import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ForwardingSubchannel;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelStateListener;
import dev.lbchannel.orca.OrcaOobSubscription;
import dev.lbchannel.orca.OrcaPerCallReports;
import io.grpc.ConnectivityState;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A subchannel with its {@link EndpointWeight}, kept for the subchannel's whole life so the weight
 * survives the endpoint leaving the READY set and coming back (with A58's blackout then). It
 * feeds the weight from one of two sources, as the config says: per-call reports, through the one
 * {@link PickResult} that carries the listener, or out-of-band reports, through a subscription on
 * its connection (and then per-call reports are not even read, as A58 says). Runs on the
 * serializer, but for the weight's reports.
 */
final class WeightedSubchannel extends ForwardingSubchannel {

    private final Subchannel delegate;
    private final BalancerHelper helper;
    /** The policy's live subchannels, which this one leaves when it shuts down. */
    private final Set<WeightedSubchannel> live;
    private final EndpointWeight weight;
    private final PickResult reporting;
    private final PickResult plain;
    private @Nullable OrcaOobSubscription oob;
    private @Nullable Duration oobPeriod;
    private boolean useOob;

    WeightedSubchannel(Subchannel delegate, BalancerHelper helper, LongSupplier clock, Set<WeightedSubchannel> live) {
        this.delegate = delegate;
        this.helper = helper;
        this.live = live;
        this.weight = new EndpointWeight(clock);
        this.reporting = PickResult.withSubchannel(this, OrcaPerCallReports.listener(weight));
        this.plain = PickResult.withSubchannel(this);
    }

    @Override
    public Subchannel delegate() {
        return delegate;
    }

    /** A READY state restarts the blackout (A58), before the policy hears it. */
    @Override
    public void start(SubchannelStateListener listener) {
        delegate.start(state -> {
            if (state.getState() == ConnectivityState.READY) {
                weight.becameReady();
            }
            listener.onStateChange(state);
        });
    }

    /** Takes a new config: the weight formula, and per-call or out-of-band reports at what interval. */
    void configure(WeightedRoundRobinConfig config, WeightFormula formula) {
        weight.formula(formula);
        useOob = config.enableOobLoadReport();
        Duration wanted = useOob ? config.oobReportingPeriod() : null;
        if (oob != null && !subscribedAt(wanted)) {
            oob.cancel();
            oob = null;
            oobPeriod = null;
        }
        if (wanted != null && oob == null) {
            oob = helper.watchOrcaReports(this, wanted, weight);
            oobPeriod = wanted;
        }
    }

    private boolean subscribedAt(@Nullable Duration wanted) {
        return wanted != null && wanted.equals(oobPeriod);
    }

    /** The result a pick returns for this endpoint: with the per-call listener unless reports come out of band. */
    PickResult result() {
        return useOob ? plain : reporting;
    }

    EndpointWeight weight() {
        return weight;
    }

    /** Stops the out-of-band stream, then removes the subchannel. */
    @Override
    public void shutdown() {
        live.remove(this);
        if (oob != null) {
            oob.cancel();
            oob = null;
        }
        delegate.shutdown();
    }
}
