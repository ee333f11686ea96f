package dev.lbchannel.transport;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * Netty's native epoll transport, touched only through this class so that a class path without
 * Netty's epoll jars (an application that excluded them) still loads everything else: the check
 * for the classes comes first, and the epoll classes load only when it passes.
 */
final class EpollSupport {

    private static final @Nullable String UNAVAILABLE = unavailability();

    private EpollSupport() {
    }

    static boolean isAvailable() {
        return UNAVAILABLE == null;
    }

    /** Why epoll cannot load here, or {@code null} when it can. */
    static @Nullable String unavailabilityReason() {
        return UNAVAILABLE;
    }

    static IoTransport io() {
        return Holder.EPOLL;
    }

    private static @Nullable String unavailability() {
        try {
            Class.forName("io.netty.channel.epoll.Epoll", false, EpollSupport.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return "io.netty:netty-transport-classes-epoll is not on the class path";
        }
        try {
            Throwable cause = Epoll.unavailabilityCause();
            return cause == null ? null : "Netty's native epoll library did not load: " + cause;
        } catch (LinkageError e) {
            return "Netty's native epoll library did not load: " + e;
        }
    }

    /** Created on first use, after the availability check. */
    private static final class Holder {
        static final IoTransport EPOLL = new IoTransport("epoll", EpollIoHandle.class, EpollIoHandler::newFactory,
                EpollSocketChannel.class, EpollDomainSocketChannel.class, EpollDatagramChannel.class,
                unix -> new DomainSocketAddress(unix.getPath().toString()));
    }
}
