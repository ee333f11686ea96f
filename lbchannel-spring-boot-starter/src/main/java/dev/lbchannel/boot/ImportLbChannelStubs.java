package dev.lbchannel.boot;

import dev.lbchannel.boot.autoconfigure.LbChannelStubsRegistrar;
import org.springframework.context.annotation.Import;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes generated grpc-java stubs beans, on a configured channel, without a line of factory
 * code. Put it on a {@code @Configuration} class (or the application class), once per channel:
 *
 * <pre>{@code
 * @SpringBootApplication
 * @ImportLbChannelStubs(channel = "orders",
 *         value = { OrdersGrpc.OrdersBlockingStub.class, OrdersGrpc.OrdersStub.class })
 * class App { }
 *
 * @Service
 * class Checkout {
 *     Checkout(OrdersGrpc.OrdersBlockingStub orders) { ... }
 * }
 * }</pre>
 *
 * Each stub type may be any kind grpc-java generates (blocking, blocking V2, future, async): the
 * stub is made by the generated class's own static factory ({@code newBlockingStub(Channel)} and
 * so on) on {@link LbChannels#get(String) LbChannels.get(channel)}. The bean is named after the
 * channel and the stub, {@code ordersOrdersBlockingStub}. A channel that is not configured fails
 * start-up, naming the configured ones.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(ImportLbChannelStubs.List.class)
@Import(LbChannelStubsRegistrar.class)
public @interface ImportLbChannelStubs {

    /** The channel's name, as in {@code lbchannel.channels.<name>}. */
    String channel();

    /** The generated stub types, such as {@code OrdersGrpc.OrdersBlockingStub.class}. */
    Class<?>[] value();

    /** Several {@link ImportLbChannelStubs}, one per channel. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Import(LbChannelStubsRegistrar.class)
    public @interface List {
        ImportLbChannelStubs[] value();
    }
}
