package dev.lbchannel.actuate.dashboard;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

import static java.util.Objects.requireNonNull;

/**
 * Stands in for the dashboard when it was asked for but cannot work, and says why at INFO once
 * the context's singletons are ready, so an operator who set
 * {@code lbchannel.dashboard.enabled=true} is not left looking for a 404's cause. Thread-safe.
 */
final class DashboardNotServed implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(DashboardNotServed.class);

    private final String reason;

    DashboardNotServed(String reason) {
        this.reason = requireNonNull(reason, "reason");
    }

    String reason() {
        return reason;
    }

    @Override
    public void afterSingletonsInstantiated() {
        logger.info("lbchannel.dashboard.enabled is true but the channelz dashboard is not served: " + reason);
    }
}
