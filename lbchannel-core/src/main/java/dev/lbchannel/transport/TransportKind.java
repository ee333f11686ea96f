package dev.lbchannel.transport;

import java.util.Locale;

/**
 * Which of Netty's I/O transports a channel's connections run on, chosen on the builder
 * ({@code LbChannelBuilder.transport}) or with the starter's {@code lbchannel.transport}.
 * {@link #AUTO}, the default, is what grpc-java does: native epoll where it loads, NIO elsewhere.
 */
public enum TransportKind {

    /** Native epoll where it loads (Linux on x86_64 or aarch64, with Netty's native jar), else NIO. */
    AUTO,
    /** Java NIO: every platform; {@code unix:} targets through the JDK's Unix domain sockets. */
    NIO,
    /** Netty's native epoll; building a channel fails, saying why, where it cannot load. */
    EPOLL,
    /**
     * Netty's native io_uring (Linux 5.14 or later): lbchannel-core does not bring its jars, so add
     * {@code io.netty:netty-transport-native-io_uring} with this platform's classifier. Building a
     * channel fails, saying why, where it cannot run. Never chosen by {@link #AUTO}: on loopback
     * it measured no better than epoll (BENCHMARKS.md).
     */
    IO_URING;

    /**
     * The I/O this kind stands for on this machine.
     *
     * @throws IllegalStateException for {@link #EPOLL} or {@link #IO_URING} where it cannot run;
     *     the message says why and how to fall back
     */
    public IoTransport io() {
        return switch (this) {
            case NIO -> IoTransport.nio();
            case AUTO -> EpollSupport.isAvailable() ? EpollSupport.io() : IoTransport.nio();
            case EPOLL -> {
                if (!EpollSupport.isAvailable()) {
                    throw new IllegalStateException("The epoll transport cannot load here ("
                            + EpollSupport.unavailabilityReason() + "); use transport AUTO or NIO, or add "
                            + "io.netty:netty-transport-native-epoll with this platform's classifier");
                }
                yield EpollSupport.io();
            }
            case IO_URING -> {
                if (!IoUringSupport.isAvailable()) {
                    throw new IllegalStateException("The io_uring transport cannot run here ("
                            + IoUringSupport.unavailabilityReason() + "); use transport AUTO, EPOLL or NIO, or add "
                            + "io.netty:netty-transport-native-io_uring with this platform's classifier "
                            + "on Linux 5.14 or later");
                }
                yield IoUringSupport.io();
            }
        };
    }

    /** As configuration writes it: {@code auto}, {@code nio}, {@code epoll} or {@code io_uring}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a kind as written in configuration: {@code auto}, {@code nio}, {@code epoll} or
     * {@code io_uring} ({@code io-uring} too), any case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static TransportKind parse(String text) {
        String name = text.trim().replace('-', '_');
        for (TransportKind kind : values()) {
            if (kind.name().equalsIgnoreCase(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown transport '" + text + "': use auto, nio, epoll or io_uring");
    }
}
