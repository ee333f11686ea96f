package dev.lbchannel;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.lbchannel.transport.ClientStream;
import dev.lbchannel.transport.MessageFramer;
import dev.lbchannel.transport.StreamTracers;
import io.grpc.Attributes;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * The attempts of one call still going, oldest first (waiting for a pick, for credentials, or
 * streaming), and the one the call committed to: the state its {@link PreCommitStream} works on,
 * and that stream's lock. The attempts are linked through {@link CallAttempt#next}, so a call
 * with one attempt allocates no list.
 *
 * <p>Guarded by itself: every method is called holding its monitor, except {@link #wantsPick()}
 * and {@link #committed()}, which are volatile reads for the lock-free paths.
 */
final class AttemptSet {

    private static final Status LOST = Status.CANCELLED.withDescription("Another attempt of the call won");

    @GuardedBy("this")
    private @Nullable CallAttempt head;
    /** Attempts waiting for a subchannel; written under the monitor. */
    private volatile int picksWanted;
    /** The attempt the call committed to, with its stream; written under the monitor. */
    private volatile @Nullable CallAttempt committed;

    /** Starts with {@code first}, which waits for a pick; before the set is shared, so without the monitor. */
    @SuppressWarnings("GuardedBy")
    AttemptSet(CallAttempt first) {
        first.linked = true;
        head = first;
        picksWanted = 1;
    }

    boolean wantsPick() {
        return picksWanted > 0;
    }

    @Nullable CallAttempt committed() {
        return committed;
    }

    @GuardedBy("this")
    boolean isEmpty() {
        return head == null;
    }

    /** Adds {@code attempt}, which waits for a pick. */
    @GuardedBy("this")
    void want(CallAttempt attempt) {
        attempt.linked = true;
        if (head == null) {
            head = attempt;
        } else {
            CallAttempt last = head;
            while (last.next != null) {
                last = last.next;
            }
            last.next = attempt;
        }
        picksWanted++;
    }

    /** The oldest attempt waiting for a pick, which now has one; {@code null} when none waits. */
    @GuardedBy("this")
    @Nullable CallAttempt takeWaiting() {
        for (CallAttempt a = head; a != null; a = a.next) {
            if (a.subchannel == null) {
                picksWanted--;
                return a;
            }
        }
        return null;
    }

    @GuardedBy("this")
    void remove(CallAttempt attempt) {
        attempt.linked = false;
        attempt.cancelRecvTimer();
        if (head == attempt) {
            head = attempt.next;
        } else {
            for (CallAttempt a = head; a != null; a = a.next) {
                if (a.next == attempt) {
                    a.next = attempt.next;
                    break;
                }
            }
        }
        attempt.next = null;
    }

    /** The oldest attempt with a stream, or {@code null}. */
    @GuardedBy("this")
    @Nullable CallAttempt firstOpen() {
        for (CallAttempt a = head; a != null; a = a.next) {
            if (a.stream != null) {
                return a;
            }
        }
        return null;
    }

    /** Commits to {@code winner}: every other attempt is cancelled (its close then ignored), none follows. */
    @GuardedBy("this")
    void commitTo(CallAttempt winner) {
        committed = winner;
        picksWanted = 0;
        for (CallAttempt a = head; a != null; ) {
            CallAttempt next = a.next;
            if (a != winner) {
                remove(a);
                if (a.stream != null) {
                    a.stream.cancel(LOST);
                }
            }
            a = next;
        }
    }

    /** The call ended: the attempts left are cancelled (their closes then ignored), none follows. */
    @GuardedBy("this")
    void clear() {
        picksWanted = 0;
        for (CallAttempt a = head; a != null; ) {
            CallAttempt next = a.next;
            remove(a);
            if (a.stream != null) {
                a.stream.cancel(LOST);
            }
            a = next;
        }
    }

    /**
     * For a cancel: forgets the attempts without a stream and returns the streams of the others,
     * which the caller cancels once it let go of the monitor (their last close ends the call).
     */
    @GuardedBy("this")
    List<ClientStream> cancelling() {
        picksWanted = 0;
        List<ClientStream> open = new ArrayList<>(1);
        for (CallAttempt a = head; a != null; ) {
            CallAttempt next = a.next;
            if (a.stream != null) {
                open.add(a.stream);
            } else {
                remove(a);
            }
            a = next;
        }
        return open;
    }

    // ---- the application's operations, for every attempt with a stream ----

    @GuardedBy("this")
    void request(int numMessages) {
        for (CallAttempt a = head; a != null; a = a.next) {
            if (a.stream != null) {
                a.stream.request(numMessages);
            }
        }
    }

    @GuardedBy("this")
    void halfClose() {
        for (CallAttempt a = head; a != null; a = a.next) {
            if (a.stream != null) {
                a.stream.halfClose();
            }
        }
    }

    @GuardedBy("this")
    boolean isReady() {
        for (CallAttempt a = head; a != null; a = a.next) {
            if (a.stream != null && a.stream.isReady()) {
                return true;
            }
        }
        return false;
    }

    @GuardedBy("this")
    Attributes attributes() {
        CallAttempt open = firstOpen();
        return open == null ? Attributes.EMPTY : open.transport.attributes();
    }

    /**
     * Writes one framed message to every attempt with a stream, taking ownership of it; returns
     * false, writing nothing, when none has one.
     */
    @GuardedBy("this")
    boolean writeToOpen(ByteBuf framed, int uncompressedBytes, boolean flush) {
        int open = 0;
        for (CallAttempt a = head; a != null; a = a.next) {
            open += a.stream != null ? 1 : 0;
        }
        if (open == 0) {
            return false;
        }
        // Each stream moves its buffer's reader index: all but the first get a view of their own.
        List<ByteBuf> views = open == 1 ? List.of() : new ArrayList<>(open - 1);
        for (int i = 1; i < open; i++) {
            views.add(framed.retainedDuplicate());
        }
        int view = -1;
        for (CallAttempt a = head; a != null; a = a.next) {
            if (a.stream != null) {
                write(a.stream, view < 0 ? framed : views.get(view), a.tracers, uncompressedBytes, flush);
                view++;
            }
        }
        return true;
    }

    /** Writes one framed message to {@code stream}, reporting it to {@code tracers}. */
    static void write(ClientStream stream, ByteBuf framed, @Nullable StreamTracers tracers, int uncompressed,
            boolean flush) {
        int wireBytes = framed.readableBytes() - MessageFramer.HEADER_LENGTH;
        stream.writeMessage(framed);
        if (flush) {
            stream.flush();
        }
        if (tracers != null) {
            tracers.outboundMessage(wireBytes, uncompressed);
        }
    }
}
