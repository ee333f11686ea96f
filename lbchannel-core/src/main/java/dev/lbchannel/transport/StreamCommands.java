package dev.lbchannel.transport;

import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import static java.util.Objects.requireNonNull;

/**
 * The application's half of a {@link NettyClientStream}: the {@link ClientStream} methods, which
 * run on the caller's thread and turn into commands on the transport's {@link WriteQueue}; what
 * the commands do on the event loop is the stream's. Called on the event loop with nothing
 * queued ahead (from a callback with a direct executor), they act at once instead of queueing.
 *
 * <p>The caller's last message is held back until the next write, {@link #flush()} or
 * {@link #halfClose()}, so that a half-close rides on it: a unary request is HEADERS plus one
 * DATA frame with END_STREAM, never a trailing empty DATA frame.
 *
 * <p>Readiness follows gRPC: the stream is ready while fewer than its on-ready threshold (the
 * call's {@code CallOptions.withOnReadyThreshold}, else {@value #ON_READY_THRESHOLD}) bytes it
 * wrote are still waiting for the peer's flow-control window or the socket.
 *
 * <p>A superclass rather than an object of its own, so that a stream stays one allocation.
 * {@code request()} and {@code cancel()} may race the others, which come one at a time.
 */
abstract class StreamCommands implements ClientStream {

    static final int ON_READY_THRESHOLD = 32 * 1024;
    private static final AtomicIntegerFieldUpdater<StreamCommands> QUEUED =
            AtomicIntegerFieldUpdater.newUpdater(StreamCommands.class, "queuedBytes");
    private static final AtomicIntegerFieldUpdater<StreamCommands> REQUESTS =
            AtomicIntegerFieldUpdater.newUpdater(StreamCommands.class, "unqueuedRequests");
    private static final AtomicReferenceFieldUpdater<StreamCommands, ByteBuf> HELD =
            AtomicReferenceFieldUpdater.newUpdater(StreamCommands.class, ByteBuf.class, "heldMessage");

    final WriteQueue writeQueue;
    final boolean oneRequestMessage;
    final int onReadyThreshold;

    // Written by the application's thread and the event loop.
    private volatile int queuedBytes;
    /** Messages requested but not yet handed to the event loop; one queued command at a time carries them. */
    private volatile int unqueuedRequests;
    /**
     * The last message written, not yet queued. Taken atomically, because the event loop takes
     * it too when the stream closes (a cancel may come from a deadline timer, racing a write).
     */
    private volatile @Nullable ByteBuf heldMessage;
    /** Set on the event loop once the HTTP/2 stream is open. */
    volatile boolean allocated;
    /** Set on the event loop when the stream closes: commands from then on are dropped. */
    volatile boolean closedForApp;
    /** Set by {@link #halfClose()} before it queues its command: requests after it need a flush of their own. */
    private volatile boolean halfClosedForApp;

    /** @param oneRequestMessage whether the RPC sends one message, then half-closes (unary, server streaming) */
    StreamCommands(WriteQueue writeQueue, boolean oneRequestMessage, @Nullable Integer onReadyThreshold) {
        this.writeQueue = writeQueue;
        this.oneRequestMessage = oneRequestMessage;
        this.onReadyThreshold = onReadyThreshold == null ? ON_READY_THRESHOLD : onReadyThreshold;
    }

    // ---- What the commands do, on the event loop ----

    /** Writes one message, with END_STREAM when it is the last. */
    abstract void onWrite(ByteBuf message, boolean endStream);

    /** Ends the request without a message of its own (an empty DATA frame with END_STREAM). */
    abstract void onHalfClose();

    /** Hands the messages requested so far ({@link #takeRequests()}) to the response. */
    abstract void onRequest();

    abstract void onCancel(Status reason);

    // ---- ClientStream: any thread ----

    @Override
    public void request(int numMessages) {
        if (numMessages <= 0) {
            throw new IllegalArgumentException("numMessages must be positive, was " + numMessages);
        }
        if (closedForApp) {
            return; // the call is over: its connection, even its event loop, may be gone
        }
        // Only the request that finds none pending queues the command; later ones add to its count.
        int before;
        do {
            before = unqueuedRequests;
        } while (!REQUESTS.compareAndSet(this, before, (int) Math.min(Integer.MAX_VALUE, (long) before + numMessages)));
        if (before == 0) {
            if (writeQueue.isIdleInLoop()) {
                onRequest(); // from a callback on the loop: deliver at once, no hop through the queue
                writeQueue.flushAfterInline();
            } else if (oneRequestMessage && !halfClosedForApp) {
                // A stub's request before its message: the half-close's flush carries it with the
                // stream's start and the message, so the call wakes the event loop once, not twice.
                writeQueue.enqueue(this::onRequest);
                if (halfClosedForApp) {
                    writeQueue.scheduleFlush(); // a half-close on another thread may have flushed before it was queued
                }
            } else {
                writeQueue.enqueueAndFlush(this::onRequest);
            }
        }
    }

    @Override
    public void writeMessage(ByteBuf framedMessage) {
        requireNonNull(framedMessage, "framedMessage");
        QUEUED.addAndGet(this, framedMessage.readableBytes());
        ByteBuf previous = HELD.getAndSet(this, framedMessage);
        if (previous != null) {
            if (writeQueue.isIdleInLoop()) {
                onWrite(previous, false); // flushed by the flush() or halfClose() that follows
            } else {
                writeQueue.enqueue(() -> onWrite(previous, false));
            }
        }
        if (closedForApp) {
            discardHeldMessage(); // closed meanwhile: close() may have emptied the slot before we filled it
        }
    }

    @Override
    public void flush() {
        if (closedForApp) {
            discardHeldMessage();
            return;
        }
        ByteBuf held = HELD.getAndSet(this, null);
        if (writeQueue.isIdleInLoop()) {
            if (held != null) {
                onWrite(held, false);
            }
            writeQueue.flushAfterInline();
            return;
        }
        if (held != null) {
            writeQueue.enqueue(() -> onWrite(held, false));
        }
        writeQueue.scheduleFlush();
    }

    @Override
    public void halfClose() {
        halfClosedForApp = true;
        if (closedForApp) {
            discardHeldMessage();
            return;
        }
        ByteBuf held = HELD.getAndSet(this, null);
        if (writeQueue.isIdleInLoop()) {
            if (held == null) {
                onHalfClose();
            } else {
                onWrite(held, true);
            }
            writeQueue.flushAfterInline();
        } else if (held == null) {
            writeQueue.enqueueAndFlush(this::onHalfClose);
        } else {
            writeQueue.enqueueAndFlush(() -> onWrite(held, true));
        }
    }

    @Override
    public void cancel(Status reason) {
        requireNonNull(reason, "reason");
        if (closedForApp) {
            return;
        }
        if (writeQueue.isIdleInLoop()) {
            onCancel(reason);
            writeQueue.flushAfterInline();
        } else {
            writeQueue.enqueueAndFlush(() -> onCancel(reason));
        }
    }

    @Override
    public boolean isReady() {
        return allocated && !closedForApp && queuedBytes < onReadyThreshold;
    }

    // ---- Shared with the event loop ----

    /** The messages requested since the last call, which the caller now delivers. */
    final int takeRequests() {
        return REQUESTS.getAndSet(this, 0);
    }

    /** Adds {@code delta} to the bytes written but not yet sent; returns the new count. */
    final int addQueued(int delta) {
        return QUEUED.addAndGet(this, delta);
    }

    /** Releases the message written but never flushed; whichever thread takes it releases it. */
    final void discardHeldMessage() {
        ByteBuf held = HELD.getAndSet(this, null);
        if (held != null) {
            QUEUED.addAndGet(this, -held.readableBytes());
            held.release();
        }
    }
}
