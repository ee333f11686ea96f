package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * One merged property value and the property it came from, in dot form, so that an error can
 * name {@code lbchannel.defaults.idle.timeout} when the default is the culprit. When neither the
 * channel nor the defaults set it, the value is {@code null} and the property is the channel's.
 */
record Setting<T>(@Nullable T value, String property) {

    boolean isSet() {
        return value != null;
    }

    T orElse(T fallback) {
        return value != null ? value : fallback;
    }
}
