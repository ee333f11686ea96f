package dev.lbchannel.transport;

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

    private static final @Nullable String UNAVAILABLE = unavailability();

    private IoUringSupport() {
    }

    static boolean isAvailable() {
        return UNAVAILABLE == null;
    }

    /** Why io_uring cannot run here, or {@code null} when it can. */
    static @Nullable String unavailabilityReason() {
        return UNAVAILABLE;
    }

    static IoTransport io() {
        return Holder.IO_URING;
    }

    private static @Nullable String unavailability() {
        try {
            Class.forName("io.netty.channel.uring.IoUring", false, IoUringSupport.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
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

    /** Created on first use, after the availability check. */
    private static final class Holder {
        static final IoTransport IO_URING = new IoTransport("io_uring", IoUringIoHandle.class,
                IoUringIoHandler::newFactory, IoUringSocketChannel.class, IoUringDomainSocketChannel.class,
                IoUringDatagramChannel.class, unix -> new DomainSocketAddress(unix.getPath().toString()));
    }
}
