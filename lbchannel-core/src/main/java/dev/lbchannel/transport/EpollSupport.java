package dev.lbchannel.transport;

import io.netty.channel.IoEventLoopGroup;
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

    /** Whether Netty's epoll classes are on the class path; checked without loading its native library. */
    private static final boolean CLASSES_PRESENT = classesPresent();

    private EpollSupport() {
    }

    static boolean isAvailable() {
        return Availability.REASON == null;
    }

    /** Why epoll cannot load here, or {@code null} when it can. */
    static @Nullable String unavailabilityReason() {
        return Availability.REASON;
    }

    static IoTransport io() {
        return Holder.EPOLL;
    }

    /**
     * epoll's transport when {@code loops} run epoll, else {@code null}; without loading the native
     * library, which loops of another transport never need.
     */
    static @Nullable IoTransport forLoops(IoEventLoopGroup loops) {
        return CLASSES_PRESENT && loops.isCompatible(EpollIoHandle.class) ? Holder.EPOLL : null;
    }

    private static boolean classesPresent() {
        try {
            Class.forName("io.netty.channel.epoll.Epoll", false, EpollSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static @Nullable String unavailability() {
        if (!CLASSES_PRESENT) {
            return "io.netty:netty-transport-classes-epoll is not on the class path";
        }
        try {
            Throwable cause = Epoll.unavailabilityCause();
            return cause == null ? null : "Netty's native epoll library did not load: " + cause;
        } catch (LinkageError e) {
            return "Netty's native epoll library did not load: " + e;
        }
    }

    /** Checked on first use: loading the native library takes milliseconds. */
    private static final class Availability {
        static final @Nullable String REASON = unavailability();
    }

    /** Created on first use, after the availability check. */
    private static final class Holder {
        static final IoTransport EPOLL = new IoTransport("epoll", EpollIoHandler::newFactory,
                EpollSocketChannel.class, EpollDomainSocketChannel.class, EpollDatagramChannel.class,
                unix -> new DomainSocketAddress(unix.getPath().toString()));
    }
}
