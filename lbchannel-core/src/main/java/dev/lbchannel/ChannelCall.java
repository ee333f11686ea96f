package dev.lbchannel;

import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.transport.ClientStream;
import dev.lbchannel.transport.ClientTransport;
import dev.lbchannel.transport.MessageFramer;
import dev.lbchannel.transport.RpcProgress;
import dev.lbchannel.transport.StreamTracers;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.Executor;

import static java.util.Objects.requireNonNull;

/**
 * One RPC on an {@link LbChannel}: picks a subchannel, opens a stream on its connection, and
 * delivers the stream's events to the application's listener on the call's executor.
 *
 * <p>Until the call is committed to one stream (response headers arrived, or more than
 * {@value #REPLAY_LIMIT} bytes were sent) it keeps what it sent in an {@link OutboundBuffer},
 * under a small lock, so that a stream the server refused unprocessed can be replayed once on
 * another pick. After that, application calls go straight to the stream without a lock.
 * Each attempt of a call with stream tracers has its own; see {@link CallAttempt}.
 */
final class ChannelCall<ReqT, RespT> extends ClientCall<ReqT, RespT> implements PickArgs {

    /** Bytes of sent messages kept for a transparent retry before the call commits. */
    static final int REPLAY_LIMIT = 1 << 20;

    private final MethodDescriptor<ReqT, RespT> method;
    private final CallOptions callOptions;
    private final LbChannel channel;
    private final Executor callExecutor;
    private @Nullable ListenerDispatcher<RespT> dispatcher;
    private final CallDeadline deadline;
    private final boolean singleRequest;

    private Metadata headers = new Metadata();
    private @Nullable RequestEncoder<ReqT> encoder;

    private final Object lock = new Object();
    // The fields below up to committedStream are guarded by lock.
    private @Nullable CallAttempt attempt;
    private final OutboundBuffer outbound;
    private boolean committed;
    private volatile boolean retried; // written under lock; read without it when tracing a new attempt
    private boolean cancelled;
    private boolean done;
    private Status cancelStatus = Status.CANCELLED;
    private @Nullable StreamTracers committedTracers; // written before committedStream, read after it
    private volatile @Nullable ClientStream committedStream;

    ChannelCall(MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, LbChannel channel) {
        this.method = method;
        this.callOptions = callOptions;
        this.channel = channel;
        this.callExecutor = callOptions.getExecutor() != null ? callOptions.getExecutor() : channel.executor();
        this.deadline = CallDeadline.of(callOptions, Context.current());
        this.singleRequest = method.getType().clientSendsOneMessage();
        this.outbound = new OutboundBuffer(!callOptions.getStreamTracerFactories().isEmpty());
    }

    @Override
    public void start(Listener<RespT> responseListener, Metadata headers) {
        requireNonNull(responseListener, "responseListener");
        requireNonNull(headers, "headers");
        if (dispatcher != null) {
            throw new IllegalStateException("Call already started");
        }
        dispatcher = new ListenerDispatcher<>(callExecutor, method, responseListener, this);
        this.headers = headers;
        channel.calls().started();
        if (channel.isShutdown()) {
            failBeforeStream(Status.UNAVAILABLE.withDescription("Channel shutdown invoked"));
            return;
        }
        try {
            encoder = RequestEncoder.of(method, callOptions, channel.compressorRegistry());
        } catch (StatusException e) {
            failBeforeStream(e.getStatus());
            return;
        }
        if (deadline.isExpired()) {
            failBeforeStream(Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded before the call started"));
            return;
        }
        if (deadline.isSet()) {
            deadline.arm(channel.scheduler(), this::onDeadline); // no timer, and no lambda, without a deadline
        }
        channel.pickerHolder().pickOrPark(this);
    }

    private void onDeadline() {
        cancel(Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded"
                + (committedStream == null ? " before the server answered" : "")));
    }

    /** Picks again with a new picker; runs on the serializer. Returns whether the call is settled. */
    boolean repick(Picker picker) {
        synchronized (lock) {
            if (done || cancelled) {
                return true;
            }
        }
        return tryPick(picker);
    }

    /** Returns true when the call got a stream or failed, false when it must wait. */
    boolean tryPick(Picker picker) {
        PickResult result = picker.pick(this);
        Subchannel picked = result.subchannel();
        if (picked != null) {
            DefaultSubchannel subchannel = DefaultSubchannel.unwrap(picked);
            ClientTransport transport = subchannel.readyTransport();
            if (transport == null) {
                return false;
            }
            startAttempt(subchannel, transport);
            return true;
        }
        Status status = result.status();
        if (!status.isOk() && (result.isDrop() || !callOptions.isWaitForReady())) {
            failBeforeStream(status);
            return true;
        }
        return false;
    }

    private void startAttempt(DefaultSubchannel subchannel, ClientTransport transport) {
        CallAttempt next = new CallAttempt(this, subchannel);
        subchannel.calls().started();
        CallOptions options = outbound.traced() ? next.traced(callOptions, headers, retried) : callOptions;
        ClientStream stream = transport.newStream(method, headers, options, deadline.remainingNanos(), next);
        Status cancelNow = null;
        boolean readyEarly;
        synchronized (lock) {
            next.stream = stream;
            readyEarly = next.readyEarly;
            if (done || cancelled) {
                cancelNow = cancelStatus;
            } else {
                attempt = next;
                // Calls into our own non-blocking stream, so holding the lock keeps order cheaply.
                outbound.replayInto(stream, next.tracers);
                if (committed) {
                    commitLocked();
                }
            }
        }
        if (cancelNow != null) {
            stream.cancel(cancelNow);
        } else if (readyEarly) {
            dispatcher().ready();
        }
    }

    @Override
    public void request(int numMessages) {
        if (numMessages < 0) {
            throw new IllegalArgumentException("numMessages must not be negative, was " + numMessages);
        }
        if (numMessages == 0) {
            return;
        }
        ClientStream stream = committedStream;
        if (stream != null) {
            stream.request(numMessages);
            return;
        }
        synchronized (lock) {
            outbound.addRequest(numMessages);
            if (attempt != null) {
                attempt.stream.request(numMessages);
            }
        }
    }

    @Override
    public void sendMessage(ReqT message) {
        if (dispatcher == null) {
            throw new IllegalStateException("sendMessage before start");
        }
        RequestEncoder<ReqT> messages = encoder;
        if (messages == null) {
            return;     // the call failed before it could send; its listener hears why
        }
        ByteBuf framed;
        try {
            framed = messages.encode(message);
        } catch (StatusRuntimeException e) {
            cancel(e.getStatus());
            return;
        }
        int uncompressedBytes = messages.lastUncompressedBytes();
        ClientStream stream = committedStream;
        if (stream != null) {
            writeAndFlush(stream, framed, committedTracers, uncompressedBytes);
            return;
        }
        synchronized (lock) {
            if (done || cancelled) {
                framed.release();
            } else if (attempt == null) {
                outbound.addMessage(framed, uncompressedBytes);
                committed |= outbound.bytes() > REPLAY_LIMIT;
            } else {
                outbound.addMessage(framed.retain(), uncompressedBytes); // the same buffer: it notes the bounds
                if (outbound.bytes() > REPLAY_LIMIT) {
                    commitLocked();
                }
                writeAndFlush(attempt.stream, framed, attempt.tracers, uncompressedBytes);
            }
        }
    }

    private void writeAndFlush(ClientStream stream, ByteBuf framed, @Nullable StreamTracers tracers, int uncompressed) {
        int wireBytes = framed.readableBytes() - MessageFramer.HEADER_LENGTH;
        stream.writeMessage(framed);
        if (!singleRequest) {
            stream.flush();
        }
        if (tracers != null) {
            tracers.outboundMessage(wireBytes, uncompressed);
        }
    }

    @Override
    public void halfClose() {
        ClientStream stream = committedStream;
        if (stream != null) {
            stream.halfClose();
            return;
        }
        synchronized (lock) {
            outbound.halfClose();
            if (attempt != null && !done) {
                attempt.stream.halfClose();
            }
        }
    }

    @Override
    public void cancel(@Nullable String message, @Nullable Throwable cause) {
        Status status = Status.CANCELLED.withDescription(message != null ? message : "Call cancelled");
        cancel(cause != null ? status.withCause(cause) : status);
    }

    /** Ends the call with {@code status}: the stream is reset, or the parked call forgotten. */
    void cancel(Status status) {
        ClientStream stream;
        synchronized (lock) {
            if (done || cancelled) {
                return;
            }
            cancelled = true;
            cancelStatus = status;
            stream = attempt == null ? null : attempt.stream;
            if (stream == null) {
                done = true;
                outbound.release();
            }
        }
        if (stream != null) {
            stream.cancel(status);
        } else {
            channel.pickerHolder().remove(this);
            finish(status, new Metadata());
        }
    }

    @Override
    public boolean isReady() {
        ClientStream stream = committedStream;
        if (stream != null) {
            return stream.isReady();
        }
        synchronized (lock) {
            return attempt != null && !done && attempt.stream.isReady();
        }
    }

    @Override
    public void setMessageCompression(boolean enabled) {
        if (encoder != null) {
            encoder.compress(enabled);
        }
    }

    private void commitLocked() {
        committed = true;
        if (attempt != null) {
            outbound.release();
            committedTracers = attempt.tracers;
            committedStream = attempt.stream;
        }
    }

    void onAttemptHeaders(CallAttempt source, Metadata responseHeaders) {
        synchronized (lock) {
            if (source != attempt) {
                return;
            }
            if (!committed) {
                commitLocked();
            }
        }
        dispatcher().headers(responseHeaders);
    }

    void onAttemptReady(CallAttempt source) {
        synchronized (lock) {
            if (source.stream == null) {
                // Opened inline on the event loop, inside newStream: the application would find
                // the call not ready yet, so onReady waits until startAttempt has the stream.
                source.readyEarly = true;
                return;
            }
        }
        dispatcher().ready();
    }

    void onAttemptClosed(CallAttempt source, Status status, RpcProgress progress, Metadata trailers) {
        boolean retry = false;
        Status outcome;
        synchronized (lock) {
            if (source != attempt) {
                return;
            }
            outcome = cancelled ? cancelStatus : deadline.explain(status);
            if (progress == RpcProgress.REFUSED && !committed && !retried && !cancelled && !channel.isShutdown()) {
                retried = true;
                retry = true;
                attempt = null;
            } else {
                done = true;
                outbound.release();
            }
        }
        if (retry) {
            channel.pickerHolder().pickOrPark(this);
        } else {
            finish(outcome, trailers);
        }
    }

    private void failBeforeStream(Status status) {
        synchronized (lock) {
            if (done) {
                return;
            }
            done = true;
            outbound.release();
        }
        finish(status, new Metadata());
    }

    private void finish(Status status, Metadata trailers) {
        deadline.disarm();
        channel.calls().finished(status.isOk());
        dispatcher().close(status, trailers);
    }

    ListenerDispatcher<RespT> dispatcher() {
        return requireNonNull(dispatcher, "dispatcher");
    }

    @Override
    public MethodDescriptor<?, ?> method() {
        return method;
    }

    @Override
    public Metadata headers() {
        return headers;
    }

    @Override
    public CallOptions callOptions() {
        return callOptions;
    }

    @Override
    public String toString() {
        return "ChannelCall{" + method.getFullMethodName() + "}";
    }
}
