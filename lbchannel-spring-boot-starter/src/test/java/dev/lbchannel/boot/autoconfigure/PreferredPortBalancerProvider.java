package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.ResolvedEndpoints;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.base.BaseBalancer;
import io.grpc.Status;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * A custom policy for tests: every call goes to the READY backend whose port is the config's
 * {@code preferred-port} (a kebab-case key, to prove custom config keys arrive exactly as
 * written), else to the first READY one.
 */
final class PreferredPortBalancerProvider implements BalancerProvider {

    private final String policyName;

    PreferredPortBalancerProvider(String policyName) {
        this.policyName = policyName;
    }

    @Override
    public String policyName() {
        return policyName;
    }

    @Override
    public Object parseConfig(Map<String, ?> rawConfig) {
        Object port = rawConfig.get("preferred-port");
        if (!(port instanceof Number number)) {
            throw new IllegalArgumentException("preferred-port must be a number, was " + port);
        }
        return number.intValue();
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        return new Balancer() {
            private int preferredPort;
            private final BaseBalancer delegate = new BaseBalancer(helper, this::picker);

            private dev.lbchannel.balancer.Picker picker(List<Subchannel> ready) {
                Subchannel chosen = ready.get(0);
                for (Subchannel subchannel : ready) {
                    if (((InetSocketAddress) subchannel.endpoint().addresses().get(0)).getPort() == preferredPort) {
                        chosen = subchannel;
                    }
                }
                PickResult result = PickResult.withSubchannel(chosen);
                return args -> result;
            }

            @Override
            public Status acceptResolvedEndpoints(ResolvedEndpoints resolved) {
                preferredPort = resolved.config() instanceof Integer port ? port : -1;
                return delegate.acceptResolvedEndpoints(resolved);
            }

            @Override
            public void handleResolutionError(Status error) {
                delegate.handleResolutionError(error);
            }

            @Override
            public void requestConnection() {
                delegate.requestConnection();
            }

            @Override
            public void shutdown() {
                delegate.shutdown();
            }
        };
    }
}
