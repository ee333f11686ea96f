package dev.lbchannel;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

import java.io.InputStream;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import static java.util.Objects.requireNonNull;

/**
 * One RPC on an {@link LbChannel}, as the application sees it: keeps {@link ClientCall}'s
 * contract (the checks grpc-java's own call makes, one {@code onClose} whatever happens), encodes
 * request messages, and ends the call when its deadline passes or its {@link Context} is
 * cancelled. Where the call goes, and how, is its {@link PreCommitStream}'s business; what the
 * listener hears, in order and on the call's executor, is its {@link ListenerDispatcher}'s.
 *
 * <p>The application calls {@code start}, {@code request}, {@code sendMessage},
 * {@code halfClose} and {@code setMessageCompression} from one thread at a time, as
 * {@code ClientCall} asks; {@code cancel} may come from any thread, at any time, even before
 * {@code start} (the call then closes CANCELLED when started).
 */
final class ChannelCall<ReqT, RespT> extends ClientCall<ReqT, RespT> implements Context.CancellationListener {

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<ChannelCall> CLOSED =
            AtomicIntegerFieldUpdater.newUpdater(ChannelCall.class, "closed");

    private final MethodDescriptor<ReqT, RespT> method;
    private final CallOptions callOptions;
    private final LbChannel channel;
    private final Executor callExecutor;
    private final Context context;
    private final CallDeadline deadline;
    private final CallPolicy policy;

    // The application's thread.
    private @Nullable ListenerDispatcher<RespT> dispatcher;
    private @Nullable RequestEncoder<ReqT> encoder;
    private boolean halfCloseCalled;
    /** cancel() came before start(): start closed the call, and later sends are ignored as moot. */
    private boolean cancelledBeforeStart;

    // Any thread.
    private volatile boolean cancelCalled;
    /** A cancel that came before the stream existed; start() applies it. */
    private volatile @Nullable Status pendingCancel;
    /** Written once in start(), after the dispatcher: a reader that sees it sees the dispatcher. */
    private volatile @Nullable PreCommitStream stream;
    private volatile int closed;

    ChannelCall(MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, LbChannel channel, CallPolicy policy) {
        this.policy = policy;
        this.method = method;
        this.callOptions = callOptions;
        this.channel = channel;
        this.callExecutor = callOptions.getExecutor() != null ? callOptions.getExecutor() : channel.executor();
        this.context = Context.current();
        this.deadline = CallDeadline.of(callOptions, context);
    }

    @Override
    public void start(Listener<RespT> responseListener, Metadata headers) {
        requireNonNull(responseListener, "responseListener");
        requireNonNull(headers, "headers");
        if (dispatcher != null) {
            throw new IllegalStateException("Already started");
        }
        ListenerDispatcher<RespT> events = new ListenerDispatcher<>(callExecutor, method, responseListener, this, context);
        dispatcher = events;
        channel.calls().started();
        Status cancelled = pendingCancel;
        if (cancelled != null) {
            cancelledBeforeStart = true;
            closeUncounted(events, cancelled);
        } else if (!channel.callStarted()) {
            closeUncounted(events, Status.UNAVAILABLE.withDescription("Channel shutdown invoked"));
        } else {
            // From here the channel counts the call as open until streamClosed.
            startCounted(headers);
        }
    }

    private void startCounted(Metadata headers) {
        if (context.isCancelled()) {
            streamClosed(Contexts.statusFromCancelled(context), new Metadata(), false);
            return;
        }
        try {
            encoder = RequestEncoder.of(method, callOptions, channel.compressorRegistry());
        } catch (StatusException e) {
            streamClosed(e.getStatus(), new Metadata(), false);
            return;
        }
        if (deadline.isExpired()) {
            streamClosed(Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded before the call started"),
                    new Metadata(), false);
            return;
        }
        PreCommitStream created = new PreCommitStream(this, channel, method, callOptions, headers, deadline, policy);
        stream = created;
        context.addListener(this, DirectExecutor.INSTANCE); // nothing to add to the root context
        if (deadline.isSet()) {
            deadline.arm(channel.scheduler(), this::onDeadline); // no timer, and no lambda, without a deadline
        }
        Status cancelled = pendingCancel;
        if (cancelled != null) {
            created.cancel(cancelled); // cancelled from another thread while starting
        }
        created.start();
    }

    @Override
    public void request(int numMessages) {
        checkStarted();
        if (numMessages < 0) {
            throw new IllegalArgumentException("Number requested must be non-negative, was " + numMessages);
        }
        PreCommitStream current = stream;
        if (numMessages > 0 && current != null) {
            current.request(numMessages);
        }
    }

    @Override
    public void sendMessage(ReqT message) {
        checkStarted();
        if (cancelledBeforeStart) {
            return;
        }
        if (cancelCalled) {
            throw new IllegalStateException("Call was cancelled");
        }
        if (halfCloseCalled) {
            throw new IllegalStateException("Call was half-closed");
        }
        RequestEncoder<ReqT> messages = encoder;
        PreCommitStream current = stream;
        if (messages == null || current == null) {
            return;     // the call failed before it could send; its listener hears why
        }
        ByteBuf framed;
        try {
            framed = messages.encode(message);
        } catch (StatusRuntimeException e) {
            cancelInternal(e.getStatus());
            return;
        }
        current.writeMessage(framed, messages.lastUncompressedBytes());
    }

    @Override
    public void halfClose() {
        checkStarted();
        if (cancelledBeforeStart) {
            return;
        }
        if (cancelCalled) {
            throw new IllegalStateException("Call was cancelled");
        }
        if (halfCloseCalled) {
            throw new IllegalStateException("Call already half-closed");
        }
        halfCloseCalled = true;
        PreCommitStream current = stream;
        if (current != null) {
            current.halfClose();
        }
    }

    @Override
    public void cancel(@Nullable String message, @Nullable Throwable cause) {
        Status status = Status.CANCELLED.withDescription(message != null ? message : "Call cancelled");
        cancelCalled = true;
        cancelInternal(cause != null ? status.withCause(cause) : status);
    }

    @Override
    public boolean isReady() {
        if (halfCloseCalled) {
            return false;
        }
        PreCommitStream current = stream;
        return current != null && current.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
        checkStarted();
        if (encoder != null) {
            encoder.compress(enabled);
        }
    }

    @Override
    public Attributes getAttributes() {
        PreCommitStream current = stream;
        return current == null ? Attributes.EMPTY : current.attributes();
    }

    // ---- cancellation from the deadline, the context and the listener ----

    private void onDeadline() {
        PreCommitStream current = stream;
        cancelInternal(Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded"
                + (current != null && current.answered() ? "" : " before the server answered")));
    }

    /** The call's context was cancelled: so is the call, with the context's reason. */
    @Override
    public void cancelled(Context cancelledContext) {
        cancelInternal(Contexts.statusFromCancelled(cancelledContext));
    }

    /** A listener callback threw or a message could not be read; from the dispatcher. */
    void cancelFromCallback(Status status) {
        cancelInternal(status);
    }

    private void cancelInternal(Status status) {
        PreCommitStream current = stream;
        if (current == null) {
            if (pendingCancel == null) {
                pendingCancel = status;
            }
            current = stream; // start() may have published the stream meanwhile
            if (current == null) {
                return;
            }
        }
        requireNonNull(dispatcher, "dispatcher").discardUndelivered(status);
        current.cancel(status);
    }

    // ---- from the PreCommitStream ----

    /** Whether the call sends one message, then half-closes: its stream flushes only at the half-close. */
    boolean sendsOneMessage() {
        return method.getType().clientSendsOneMessage();
    }

    void streamHeaders(Metadata headers) {
        requireNonNull(dispatcher, "dispatcher").headers(headers);
    }

    void streamMessage(InputStream message) {
        requireNonNull(dispatcher, "dispatcher").message(message);
    }

    void streamReady() {
        if (method.getType().clientSendsOneMessage()) {
            // As grpc-java's calls: a call that sends one message has no use for flow control on
            // it, and its onReady would cost a hop to the call's executor per call.
            return;
        }
        requireNonNull(dispatcher, "dispatcher").ready();
    }

    /**
     * The call's outcome; exactly once for a call the channel counted as open.
     *
     * @param answered whether the server ended the call with its trailers; otherwise (a reset, a
     *     lost connection, a cancel, a deadline) a failed call's undelivered messages are released
     *     at once, since nothing will read them if its executor never runs again
     */
    void streamClosed(Status status, Metadata trailers, boolean answered) {
        if (!CLOSED.compareAndSet(this, 0, 1)) {
            return;
        }
        deadline.disarm();
        context.removeListener(this);
        ListenerDispatcher<RespT> events = requireNonNull(dispatcher, "dispatcher");
        if (!answered && !status.isOk()) {
            events.discardUndelivered(status);
        }
        events.close(status, trailers);
        channel.callFinished();
    }

    /** What the listener's onClose heard, for the channel's counts (as grpc-java counts them). */
    void closeDelivered(boolean ok) {
        channel.calls().finished(ok);
    }

    /** Closes a call the channel never counted as open: cancelled before start, or after shutdown. */
    private void closeUncounted(ListenerDispatcher<RespT> events, Status status) {
        closed = 1;
        events.close(status, new Metadata());
    }

    private void checkStarted() {
        if (dispatcher == null) {
            throw new IllegalStateException("Not started");
        }
    }

    @Override
    public String toString() {
        return "ChannelCall{" + method.getFullMethodName() + "}";
    }
}
