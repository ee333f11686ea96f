package dev.lbchannel.transport;

import io.grpc.DecompressorRegistry;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import org.jspecify.annotations.Nullable;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import static java.util.Objects.requireNonNull;

/**
 * One RPC on a {@link NettyClientTransport}. The {@link ClientStream} methods run on the caller's
 * thread and only queue commands on the transport's {@link WriteQueue}; everything else here is
 * confined to the event loop: the HTTP/2 stream (assigned lazily, once the connection can open
 * it), the inbound {@link InboundDeframer}, and the listener, which hears every event on the loop.
 *
 * <p>Readiness follows gRPC: the stream is ready while fewer than {@value #ON_READY_THRESHOLD}
 * bytes it wrote are still waiting for the peer's flow-control window or the socket.
 */
final class NettyClientStream implements ClientStream {

    static final int ON_READY_THRESHOLD = 32 * 1024;
    private static final Object END_OF_STREAM = new Object();
    private static final AtomicIntegerFieldUpdater<NettyClientStream> QUEUED =
            AtomicIntegerFieldUpdater.newUpdater(NettyClientStream.class, "queuedBytes");

    private final GrpcClientHandler handler;
    private final WriteQueue writeQueue;
    private final Http2Headers requestHeaders;
    private final ClientStreamListener listener;
    private final InboundDeframer deframer;
    private final DecompressorRegistry decompressors;

    // Written by the application's thread and the event loop.
    private volatile int queuedBytes;
    private volatile boolean allocated;
    private volatile boolean closedForApp;

    // Event-loop confined.
    private @Nullable Http2Stream http2Stream;
    private @Nullable ArrayDeque<Object> pendingWrites;
    private boolean localEndSent;
    private boolean remoteEnded;
    private boolean remoteReset;
    private boolean headersReceived;
    private boolean trailersReceived;
    private int requested;
    /** Buffered bytes already given back to the window because a requested message needs them. */
    private long returnedAhead;
    private boolean delivering;
    private @Nullable Status endStatus;
    private @Nullable Metadata endTrailers;
    private boolean closed;

    NettyClientStream(GrpcClientHandler handler, WriteQueue writeQueue, Http2Headers requestHeaders,
            ClientStreamListener listener, int maxInboundMessageSize, DecompressorRegistry decompressors) {
        this.handler = handler;
        this.writeQueue = writeQueue;
        this.requestHeaders = requestHeaders;
        this.listener = requireNonNull(listener, "listener");
        this.deframer = new InboundDeframer(io.netty.buffer.ByteBufAllocator.DEFAULT, maxInboundMessageSize);
        this.decompressors = decompressors;
    }

    // ---- ClientStream: any thread, one at a time ----

    @Override
    public void request(int numMessages) {
        if (numMessages <= 0) {
            throw new IllegalArgumentException("numMessages must be positive, was " + numMessages);
        }
        writeQueue.enqueueAndFlush(() -> onRequest(numMessages));
    }

    @Override
    public void writeMessage(ByteBuf framedMessage) {
        requireNonNull(framedMessage, "framedMessage");
        int size = framedMessage.readableBytes();
        QUEUED.addAndGet(this, size);
        writeQueue.enqueue(() -> onWrite(framedMessage, size));
    }

    @Override
    public void flush() {
        writeQueue.scheduleFlush();
    }

    @Override
    public void halfClose() {
        writeQueue.enqueueAndFlush(this::onHalfClose);
    }

    @Override
    public void cancel(Status reason) {
        requireNonNull(reason, "reason");
        writeQueue.enqueueAndFlush(() -> onCancel(reason));
    }

    @Override
    public boolean isReady() {
        return allocated && !closedForApp && queuedBytes < ON_READY_THRESHOLD;
    }

    // ---- Event loop: outbound ----

    Http2Headers requestHeaders() {
        return requestHeaders;
    }

    /** The HTTP/2 stream was opened and its HEADERS written; sends what the application queued. */
    void allocated(Http2Stream stream) {
        http2Stream = stream;
        ArrayDeque<Object> queued = pendingWrites;
        pendingWrites = null;
        if (queued != null) {
            for (Object write; (write = queued.poll()) != null; ) {
                if (write == END_OF_STREAM) {
                    onHalfClose();
                } else {
                    ByteBuf buf = (ByteBuf) write;
                    onWrite(buf, buf.readableBytes());
                }
            }
        }
        allocated = true;
        if (!closed && isReady()) {
            listener.onReady();
        }
    }

    boolean isAllocated() {
        return http2Stream != null;
    }

    private void onWrite(ByteBuf message, int size) {
        if (closed) {
            message.release();
            QUEUED.addAndGet(this, -size);
        } else if (http2Stream == null) {
            pendingWrites().add(message);
        } else {
            ChannelPromise promise = handler.newPromise();
            promise.addListener(f -> onSent(size));
            handler.writeData(http2Stream, message, false, promise);
        }
    }

    private void onHalfClose() {
        if (closed || localEndSent) {
            return;
        }
        if (http2Stream == null) {
            pendingWrites().add(END_OF_STREAM);
            return;
        }
        localEndSent = true;
        handler.writeData(http2Stream, Unpooled.EMPTY_BUFFER, true, handler.newPromise());
    }

    private void onSent(int size) {
        int after = QUEUED.addAndGet(this, -size);
        if (!closed && allocated && after < ON_READY_THRESHOLD && after + size >= ON_READY_THRESHOLD) {
            listener.onReady();
        }
    }

    private ArrayDeque<Object> pendingWrites() {
        if (pendingWrites == null) {
            pendingWrites = new ArrayDeque<>(4);
        }
        return pendingWrites;
    }

    private void onCancel(Status reason) {
        if (!closed) {
            close(reason, RpcProgress.PROCESSED, new Metadata());
        }
    }

    private void onRequest(int numMessages) {
        requested = (int) Math.min(Integer.MAX_VALUE, (long) requested + numMessages);
        deliver();
    }

    // ---- Event loop: inbound, called by GrpcClientHandler ----

    /** Whether this stream still wants frames; the handler returns window for those it refuses. */
    boolean isOpen() {
        return !closed;
    }

    void onHeaders(Http2Headers headers, boolean endStream) {
        if (closed) {
            return;
        }
        remoteEnded |= endStream;
        if (headersReceived) {
            if (!endStream) {
                fail(Status.INTERNAL.withDescription("Received a second HEADERS frame without END_STREAM"));
                return;
            }
            end(ResponseStatus.fromTrailers(headers), MetadataCodec.toMetadata(headers, true));
            return;
        }
        headersReceived = true;
        Status invalid = ResponseStatus.checkResponseHeaders(headers);
        if (invalid != null) {
            fail(invalid);
        } else if (endStream) {
            end(ResponseStatus.fromTrailers(headers), MetadataCodec.toMetadata(headers, true));
        } else {
            CharSequence encoding = headers.get(MetadataCodec.GRPC_ENCODING);
            if (encoding != null) {
                String name = encoding.toString();
                deframer.encoding(name, "identity".equals(name) ? null : decompressors.lookupDecompressor(name));
            }
            listener.onHeaders(MetadataCodec.toMetadata(headers, false));
        }
    }

    /** Takes a reference to {@code data} when it keeps it. */
    void onData(ByteBuf data, boolean endStream) {
        if (closed) {
            return;
        }
        if (!headersReceived || trailersReceived) {
            fail(Status.INTERNAL.withDescription(trailersReceived
                    ? "Received DATA after trailers" : "Received DATA before response headers"));
            return;
        }
        deframer.add(data.retain());
        if (endStream) {
            remoteEnded = true;
            end(Status.INTERNAL.withDescription("Server ended the stream without trailers"), new Metadata());
        } else {
            deliver();
        }
    }

    void onRstStream(long errorCode) {
        remoteReset = true;
        if (closed || trailersReceived) {
            return; // the outcome is known already; buffered messages still go out
        }
        RpcProgress progress = errorCode == io.netty.handler.codec.http2.Http2Error.REFUSED_STREAM.code()
                ? RpcProgress.REFUSED : RpcProgress.PROCESSED;
        close(ResponseStatus.fromRstStream(errorCode), progress, new Metadata());
    }

    /** Closes at once, dropping undelivered messages: the connection failed or refused the stream. */
    void transportFailed(Status status, RpcProgress progress) {
        if (!closed) {
            close(status, progress, new Metadata());
        }
    }

    /** Fails the stream for a local error (bad frame, oversized message): resets it and closes. */
    void fail(Status status) {
        if (!closed) {
            close(status, RpcProgress.PROCESSED, new Metadata());
        }
    }

    /** The bytes received but not yet delivered, for tests and stats. */
    long bufferedInboundBytes() {
        return deframer.bufferedBytes();
    }

    private void end(Status status, Metadata trailers) {
        trailersReceived = true;
        endStatus = status;
        endTrailers = trailers;
        deliver();
    }

    private void deliver() {
        if (delivering || closed) {
            return;
        }
        delivering = true;
        try {
            while (requested > 0 && !closed) {
                InputStream message;
                try {
                    message = deframer.next();
                } catch (StatusException e) {
                    fail(e.getStatus());
                    return;
                }
                if (message == null) {
                    break;
                }
                requested--;
                int frameBytes = deframer.lastFrameBytes();
                long early = Math.min(frameBytes, returnedAhead);
                returnedAhead -= early;
                handler.messageDelivered(http2Stream, (int) (frameBytes - early));
                listener.onMessage(message);
            }
            returnWindowForWantedMessage();
            if (!closed && endStatus != null) {
                if (deframer.isEmpty()) {
                    close(endStatus, RpcProgress.PROCESSED, endTrailers);
                } else if (!deframer.hasCompleteMessage()) {
                    fail(Status.INTERNAL.withDescription("Stream ended in the middle of a gRPC message"));
                }
            }
        } finally {
            delivering = false;
        }
    }

    /**
     * A message is wanted but has not fully arrived: give its bytes back now, or one larger than
     * the window would never arrive. Bytes of unwanted messages stay unreturned, which bounds
     * what the server can make us buffer to the window plus one message.
     */
    private void returnWindowForWantedMessage() {
        if (closed || requested == 0 || deframer.hasCompleteMessage()) {
            return;
        }
        long unreturned = deframer.bufferedBytes() - returnedAhead;
        if (unreturned > 0) {
            returnedAhead += unreturned;
            handler.returnWindow(http2Stream, (int) unreturned);
        }
    }

    private void close(Status status, RpcProgress progress, Metadata trailers) {
        closed = true;
        closedForApp = true;
        deframer.close();
        releasePendingWrites();
        Http2Stream stream = http2Stream;
        boolean resetNeeded = stream != null && !remoteReset && !(remoteEnded && localEndSent)
                && stream.state() != Http2Stream.State.CLOSED;
        handler.streamClosed(this, stream, resetNeeded, status.isOk());
        listener.onClose(status, progress, trailers);
    }

    private void releasePendingWrites() {
        ArrayDeque<Object> queued = pendingWrites;
        pendingWrites = null;
        if (queued != null) {
            for (Object write; (write = queued.poll()) != null; ) {
                if (write instanceof ByteBuf buf) {
                    QUEUED.addAndGet(this, -buf.readableBytes());
                    buf.release();
                }
            }
        }
    }
}
