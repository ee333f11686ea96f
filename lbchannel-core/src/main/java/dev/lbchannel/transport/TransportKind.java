package dev.lbchannel.transport;

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
    EPOLL;

    /**
     * The I/O this kind stands for on this machine.
     *
     * @throws IllegalStateException for {@link #EPOLL} where it cannot load; the message says
     *     why and how to fall back
     */
    public IoTransport io() {
        return switch (this) {
            case NIO -> IoTransport.NIO;
            case AUTO -> EpollSupport.isAvailable() ? EpollSupport.io() : IoTransport.NIO;
            case EPOLL -> {
                if (!EpollSupport.isAvailable()) {
                    throw new IllegalStateException("The epoll transport cannot load here ("
                            + EpollSupport.unavailabilityReason() + "); use transport AUTO or NIO, or add "
                            + "io.netty:netty-transport-native-epoll with this platform's classifier");
                }
                yield EpollSupport.io();
            }
        };
    }

    /**
     * Parses a kind as written in configuration: {@code auto}, {@code nio} or {@code epoll}, any
     * case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static TransportKind parse(String text) {
        for (TransportKind kind : values()) {
            if (kind.name().equalsIgnoreCase(text.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown transport '" + text + "': use auto, nio or epoll");
    }
}
