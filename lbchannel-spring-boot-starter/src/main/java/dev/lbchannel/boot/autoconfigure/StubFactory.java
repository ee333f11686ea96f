package dev.lbchannel.boot.autoconfigure;

import io.grpc.Channel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Makes a generated grpc-java stub through the generated class's own static factory: the public
 * static method of the stub's enclosing class that takes a {@link Channel} and returns the stub
 * type ({@code newBlockingStub}, {@code newFutureStub}, {@code newStub}, ...). Works for every
 * stub kind without depending on grpc-stub. Immutable and thread-safe.
 */
final class StubFactory<T> {

    private final Class<T> stubType;
    private final Method factory;

    private StubFactory(Class<T> stubType, Method factory) {
        this.stubType = stubType;
        this.factory = factory;
    }

    /**
     * The factory for {@code stubType}.
     *
     * @throws IllegalArgumentException if {@code stubType} is not a generated stub
     */
    static <T> StubFactory<T> forType(Class<T> stubType) {
        Class<?> generated = stubType.getEnclosingClass();
        if (generated != null) {
            for (Method method : generated.getMethods()) {
                if (Modifier.isStatic(method.getModifiers()) && method.getReturnType() == stubType
                        && method.getParameterCount() == 1 && method.getParameterTypes()[0] == Channel.class) {
                    return new StubFactory<>(stubType, method);
                }
            }
        }
        throw new IllegalArgumentException(stubType.getName() + " is not a generated gRPC stub: "
                + (generated == null ? "it is not nested in a generated *Grpc class"
                : generated.getSimpleName() + " has no public static method taking a Channel and returning it"));
    }

    Class<T> stubType() {
        return stubType;
    }

    T create(Channel channel) {
        try {
            return stubType.cast(factory.invoke(null, channel));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot call " + factory, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(factory + " failed", e.getCause());
        }
    }
}
