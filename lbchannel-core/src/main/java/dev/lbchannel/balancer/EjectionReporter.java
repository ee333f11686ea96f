package dev.lbchannel.balancer;

import dev.lbchannel.channelz.DetectionMethod;
import dev.lbchannel.channelz.UnenforcedReason;

/**
 * Where a policy that ejects backends (gRFC A50's {@code outlier_detection}) tells the channel
 * what it did, for channelz, the dashboard and gRFC A91's meters. Get it from
 * {@link BalancerHelper#ejectionReporter()}; call it on the serializer.
 */
public interface EjectionReporter {

    /** Reports nothing: for helpers of channels that keep no channelz. */
    EjectionReporter NONE = new EjectionReporter() {
        @Override
        public void ejectionChanged(Subchannel subchannel, boolean ejected) {
        }

        @Override
        public void ejectionEnforced(DetectionMethod method) {
        }

        @Override
        public void ejectionUnenforced(DetectionMethod method, UnenforcedReason reason) {
        }
    };

    /**
     * {@code subchannel} (one the helper created, or a {@link ForwardingSubchannel} of one) was
     * ejected, or returned to service; a subchannel that shuts down ejected must be reported
     * returned.
     */
    void ejectionChanged(Subchannel subchannel, boolean ejected);

    /** {@code method} found an outlier and ejected it: once per endpoint ejected. */
    void ejectionEnforced(DetectionMethod method);

    /** {@code method} found an outlier and left it in service, for {@code reason}. */
    void ejectionUnenforced(DetectionMethod method, UnenforcedReason reason);
}
