package dev.lbchannel.boot.autoconfigure;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;

import java.util.Locale;
import java.util.Set;

/**
 * Refreshes the channels when Spring Cloud reports changed properties under {@code lbchannel}
 * (its {@code /actuator/refresh}, a config server push, the bus). A rejected refresh leaves the
 * channels as they are and is logged by the refresher; it is not thrown at Spring Cloud, whose
 * other listeners must still hear the event. A property that an {@code lbchannel.*} value refers
 * to by placeholder is not seen here: call {@link LbChannelsRefresher#refresh()} after changing
 * it. Runs on the thread that publishes the event.
 */
final class EnvironmentChangeRefresh implements ApplicationListener<EnvironmentChangeEvent> {

    private final LbChannelsRefresher refresher;

    EnvironmentChangeRefresh(LbChannelsRefresher refresher) {
        this.refresher = refresher;
    }

    @Override
    public void onApplicationEvent(EnvironmentChangeEvent event) {
        if (touchesChannels(event.getKeys())) {
            try {
                refresher.refresh();
            } catch (LbChannelConfigurationException e) {
                // Logged by the refresher, naming the property; the channels stay as they were.
            }
        }
    }

    /** Keys as their property sources spell them: {@code lbchannel.channels.a.target}, or {@code LBCHANNEL_CHANNELS_A_TARGET}. */
    static boolean touchesChannels(Set<String> keys) {
        for (String key : keys) {
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals(PropertyNames.PREFIX) || lower.startsWith(PropertyNames.PREFIX + ".")
                    || lower.startsWith(PropertyNames.PREFIX + "_")) {
                return true;
            }
        }
        return false;
    }
}
