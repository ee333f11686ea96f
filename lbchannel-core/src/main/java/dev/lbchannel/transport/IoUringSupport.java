package dev.lbchannel.transport;

import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * Netty's native io_uring transport, touched only through this class: lbchannel-core declares its
 * jars optional, so the class check comes first and the io_uring classes load only when it
 * passes. Its kernel must allow io_uring too (Linux 5.14 or later, and not switched off by
 * {@code kernel.io_uring_disabled} or a container's seccomp profile), which Netty checks.
 */
final class IoUringSupport {

    /** Whether Netty's io_uring classes are on the class path; checked without loading its native library. */
    private static final boolean CLASSES_PRESENT = classesPresent();

    private IoUringSupport() {
    }

    static boolean isAvailable() {
        return Availability.REASON == null;
    }

    /** Why io_uring cannot run here, or {@code null} when it can. */
    static @Nullable String unavailabilityReason() {
        return Availability.REASON;
    }

    static IoTransport io() {
        return Holder.IO_URING;
    }

    /**
     * io_uring's transport when {@code loops} run io_uring, else {@code null}; without loading the
     * native library, which loops of another transport never need.
     */
    static @Nullable IoTransport forLoops(IoEventLoopGroup loops) {
        return CLASSES_PRESENT && loops.isCompatible(IoUringIoHandle.class) ? Holder.IO_URING : null;
    }

    private static boolean classesPresent() {
        try {
            Class.forName("io.netty.channel.uring.IoUring", false, IoUringSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static @Nullable String unavailability() {
        if (!CLASSES_PRESENT) {
            return "io.netty:netty-transport-classes-io_uring is not on the class path";
        }
        try {
            Throwable cause = IoUring.unavailabilityCause();
            return cause == null ? null : "Netty's native io_uring library did not load or the kernel refused it: "
                    + cause;
        } catch (LinkageError e) {
            return "Netty's native io_uring library did not load: " + e;
        }
    }

    /** Checked on first use: loading the native library takes milliseconds. */
    private static final class Availability {
        static final @Nullable String REASON = unavailability();
    }

    /** Created on first use, after the availability check. */
    private static final class Holder {
        static final IoTransport IO_URING = new IoTransport("io_uring", IoUringIoHandler::newFactory,
                IoUringSocketChannel.class, IoUringDomainSocketChannel.class, IoUringDatagramChannel.class,
                unix -> new DomainSocketAddress(unix.getPath().toString()));
    }
}
