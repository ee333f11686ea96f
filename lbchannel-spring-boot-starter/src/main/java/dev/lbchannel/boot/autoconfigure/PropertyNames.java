package dev.lbchannel.boot.autoconfigure;

import java.util.regex.Pattern;

/** Property names in the dot form failure analyses and messages use. Stateless. */
final class PropertyNames {

    static final String PREFIX = "lbchannel";
    static final String DEFAULTS = PREFIX + ".defaults";
    static final String TRANSPORT = PREFIX + ".transport";

    private static final Pattern SIMPLE_KEY = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private PropertyNames() {
    }

    /** {@code lbchannel.channels.orders}, or {@code lbchannel.channels[Orders.V1]} for a key needing brackets. */
    static String channel(String name) {
        return SIMPLE_KEY.matcher(name).matches() ? PREFIX + ".channels." + name : PREFIX + ".channels[" + name + "]";
    }
}
