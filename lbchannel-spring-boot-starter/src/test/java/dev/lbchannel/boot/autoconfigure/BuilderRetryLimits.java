package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.boot.LbChannelBuilderCustomizer;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a channel's builder was told about retries. Neither the builder nor the channel shows its
 * retry limits, and the channel does not retry yet, so this reads the builder's private state by
 * reflection; a rename in core fails these tests loudly rather than passing them silently. Use
 * {@link #capture()} as an {@link LbChannelBuilderCustomizer} bean: customizers run after the
 * properties are applied, so it sees the builder as the properties left it.
 */
final class BuilderRetryLimits {

    /** The builder's retry settings, in grpc-java's names. */
    record Limits(boolean enabled, int maxRetryAttempts, int maxHedgedAttempts, long retryBufferSize,
            long perRpcBufferLimit) {
    }

    private final Map<String, LbChannelBuilder> builders = new ConcurrentHashMap<>();

    private BuilderRetryLimits() {
    }

    static BuilderRetryLimits capture() {
        return new BuilderRetryLimits();
    }

    LbChannelBuilderCustomizer customizer() {
        return builders::put;
    }

    /** The limits of channel {@code name}'s builder. */
    Limits of(String name) {
        LbChannelBuilder builder = builders.get(name);
        if (builder == null) {
            throw new AssertionError("No builder customized for channel '" + name + "'; saw " + builders.keySet());
        }
        try {
            Field field = LbChannelBuilder.class.getDeclaredField("retryLimits");
            field.setAccessible(true);
            Object limits = field.get(builder);
            return new Limits((Boolean) read(limits, "enabled"), (Integer) read(limits, "maxRetryAttempts"),
                    (Integer) read(limits, "maxHedgedAttempts"), (Long) read(limits, "bufferSize"),
                    (Long) read(limits, "perRpcBufferLimit"));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("LbChannelBuilder no longer keeps its retry limits as this test expects", e);
        }
    }

    private static Object read(Object record, String component) throws ReflectiveOperationException {
        Method accessor = record.getClass().getDeclaredMethod(component);
        accessor.setAccessible(true);
        return accessor.invoke(record);
    }
}
