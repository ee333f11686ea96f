package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static java.util.Objects.requireNonNull;

/**
 * A channel property whose value cannot work: an unknown scheme or policy, an unusable target,
 * an invalid service config, an unknown SSL bundle. It names the property in dot form
 * ({@code lbchannel.channels.orders.target}), the value and the reason, and carries the action
 * that fixes it, which the failure analysis prints. Being an
 * {@link InvalidConfigurationPropertyValueException}, it is analysed like Boot's own even where
 * lbchannel's analyzer is absent.
 */
public final class LbChannelConfigurationException extends InvalidConfigurationPropertyValueException {

    private static final long serialVersionUID = 1L;

    private final String action;

    public LbChannelConfigurationException(String property, @Nullable Object value, String reason, String action) {
        this(property, value, reason, action, null);
    }

    public LbChannelConfigurationException(String property, @Nullable Object value, String reason, String action,
            @Nullable Throwable cause) {
        super(requireNonNull(property, "property"), value, requireNonNull(reason, "reason"), cause);
        this.action = requireNonNull(action, "action");
    }

    /** What to change, in a sentence or two, such as "Set lbchannel.channels.orders.target to ...". */
    public String getAction() {
        return action;
    }
}
