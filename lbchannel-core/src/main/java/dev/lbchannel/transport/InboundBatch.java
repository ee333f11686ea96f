package dev.lbchannel.transport;

import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;
import java.util.List;

/**
 * The callbacks one socket read delivers, handed to their executors at the read's end rather than
 * one by one. A read often carries a response's headers, message and trailers, or the replies of
 * many calls; a call's {@code CallbackExecutor} that had to wake a pool thread for each of them
 * would pay a wake-up per callback (a pool thread on another core drains the first before the
 * second arrives). Deferred to the read's end, a call's callbacks go to its executor together:
 * one task, one wake-up.
 *
 * <p>Event-loop confined, through a thread local of the event loop thread: the connection's
 * handler {@link #begin}s a batch with a read's first {@code channelRead} and {@link #end}s it in
 * {@code channelReadComplete}, which Netty fires after every read, also one that failed.
 */
public final class InboundBatch {

    /** What a read defers: handing a call's queued callbacks to its executor. */
    public interface Deferred {
        void submitDeferred();
    }

    private static final FastThreadLocal<InboundBatch> CURRENT = new FastThreadLocal<>() {
        @Override
        protected InboundBatch initialValue() {
            return new InboundBatch();
        }
    };

    private final List<Deferred> deferred = new ArrayList<>();
    private boolean open;

    private InboundBatch() {
    }

    /** A read starts on this thread: submissions wait for its end. */
    static void begin() {
        CURRENT.get().open = true;
    }

    /** The read ended: every submission it deferred goes out now, in order. */
    static void end() {
        InboundBatch batch = CURRENT.get();
        batch.open = false;
        List<Deferred> pending = batch.deferred;
        if (pending.isEmpty()) {
            return;
        }
        // Closed first: an executor that runs a submission inline, whose callbacks start calls,
        // submits those at once rather than into this list.
        for (int i = 0; i < pending.size(); i++) {
            pending.get(i).submitDeferred();
        }
        pending.clear();
    }

    /**
     * Defers {@code submission} to the end of the read in progress on this thread and returns
     * true, or returns false when no read is in progress here (the caller submits at once).
     */
    public static boolean defer(Deferred submission) {
        InboundBatch batch = CURRENT.getIfExists();
        if (batch == null || !batch.open) {
            return false;
        }
        batch.deferred.add(submission);
        return true;
    }
}
