package dev.lbchannel.benchmarks.load;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection's calls on the {@link CannedServer}: the interop {@code TestService}'s
 * {@code UnaryCall}, {@code StreamingOutputCall} and {@code FullDuplexCall}, answered as
 * {@code TestServiceImpl} answers the harness's requests: each response asked for is a payload of
 * that many zero bytes, status OK after the request's end. The responses one request asks for are
 * written together, back to back in as few DATA frames as they fit (grpc-java's server packed
 * about nine 16-byte messages per frame in the wire count of BENCHMARKS.md's streaming section);
 * they are made once per distinct request and kept. Response intervals, compression, echoed
 * metadata and requested statuses, which the harness never asks for, are ignored. Any other
 * method gets UNIMPLEMENTED.
 *
 * <p>Flow control, HPACK and flushing are Netty's codec's ({@code Http2ConnectionHandler} flushes
 * once per read batch, as grpc-java's server does). Event-loop confined.
 */
final class CannedCalls extends Http2FrameAdapter {

    private static final AsciiString UNARY_CALL = AsciiString.of("/grpc.testing.TestService/UnaryCall");
    private static final AsciiString STREAMING_OUTPUT_CALL = AsciiString.of("/grpc.testing.TestService/StreamingOutputCall");
    private static final AsciiString FULL_DUPLEX_CALL = AsciiString.of("/grpc.testing.TestService/FullDuplexCall");
    private static final Http2Headers RESPONSE_HEADERS = new DefaultHttp2Headers()
            .status("200").set("content-type", "application/grpc");
    private static final Http2Headers OK_TRAILERS = new DefaultHttp2Headers().set("grpc-status", "0");
    private static final Http2Headers UNIMPLEMENTED = new DefaultHttp2Headers()
            .status("200").set("content-type", "application/grpc")
            .set("grpc-status", "12").set("grpc-message", "The canned server answers UnaryCall, "
                    + "StreamingOutputCall and FullDuplexCall only");
    private static final int PREFIX_BYTES = 5;
    private static final int WINDOW_BYTES = 1 << 20;   // grpc-java's server default
    private static final int CACHED_REQUESTS = 64;

    private final IntObjectMap<Call> calls = new IntObjectHashMap<>();
    /**
     * The answers to requests seen before, by the request's bytes: the harness sends one request
     * over and over, so a call costs a lookup, not a parse and a serialisation.
     */
    private final Map<ByteBuffer, ByteBuf> unaryAnswers = new HashMap<>();
    private final Map<ByteBuffer, ByteBuf> streamingAnswers = new HashMap<>();
    private @Nullable Http2ConnectionEncoder encoder;

    private CannedCalls() {
    }

    /** A new connection's handler. */
    static Http2ConnectionHandler newHandler() {
        CannedCalls calls = new CannedCalls();
        Http2ConnectionHandler handler = new Http2ConnectionHandlerBuilder()
                .server(true)
                .initialSettings(Http2Settings.defaultSettings().initialWindowSize(WINDOW_BYTES))
                .frameListener(calls)
                .build();
        calls.encoder = handler.encoder();
        handler.connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamRemoved(Http2Stream stream) {
                Call call = calls.calls.remove(stream.id());
                if (call != null) {
                    call.releasePending();
                }
            }
        });
        return handler;
    }

    private enum Method { UNARY, SERVER_STREAMING, BIDI }

    /** A call's state between its frames. */
    private static final class Call {
        final Method method;
        boolean headersSent;
        /** Bytes of a message split across DATA frames; {@code null} while none is. */
        @Nullable ByteBuf pending;

        Call(Method method) {
            this.method = method;
        }

        void releasePending() {
            if (pending != null) {
                pending.release();
                pending = null;
            }
        }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
            short weight, boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
            boolean endOfStream) {
        CharSequence path = headers.path();
        Method method = path == null ? null
                : UNARY_CALL.contentEquals(path) ? Method.UNARY
                : STREAMING_OUTPUT_CALL.contentEquals(path) ? Method.SERVER_STREAMING
                : FULL_DUPLEX_CALL.contentEquals(path) ? Method.BIDI
                : null;
        if (method == null) {
            encoder().writeHeaders(ctx, streamId, UNIMPLEMENTED, 0, true, ctx.newPromise());
            return;
        }
        Call call = new Call(method);
        calls.put(streamId, call);
        if (endOfStream) {
            finish(ctx, streamId, call);
        }
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        int consumed = data.readableBytes() + padding;
        Call call = calls.get(streamId);
        if (call == null) {
            return consumed;   // answered UNIMPLEMENTED, or reset
        }
        ByteBuf in = data;
        if (call.pending != null) {
            call.pending.writeBytes(data);
            in = call.pending;
        }
        while (in.readableBytes() >= PREFIX_BYTES) {
            int length = in.getInt(in.readerIndex() + 1);
            if (in.readableBytes() < PREFIX_BYTES + length) {
                break;
            }
            ByteBuffer message = in.nioBuffer(in.readerIndex() + PREFIX_BYTES, length);
            in.skipBytes(PREFIX_BYTES + length);
            if (!answer(ctx, streamId, call, message)) {
                return consumed;
            }
        }
        if (in == data && data.isReadable()) {
            call.pending = ctx.alloc().buffer(data.readableBytes()).writeBytes(data);
        } else if (in != data && !in.isReadable()) {
            call.releasePending();
        }
        if (endOfStream) {
            finish(ctx, streamId, call);
        }
        return consumed;
    }

    /** Writes the responses {@code message} asks for; false if it could not be parsed and the stream was reset. */
    private boolean answer(ChannelHandlerContext ctx, int streamId, Call call, ByteBuffer message) {
        Map<ByteBuffer, ByteBuf> cache = call.method == Method.UNARY ? unaryAnswers : streamingAnswers;
        ByteBuf answer = cache.get(message);
        if (answer == null) {
            try {
                answer = frames(call.method == Method.UNARY
                        ? List.of(unaryResponse(SimpleRequest.parseFrom(message.duplicate())))
                        : streamingResponses(StreamingOutputCallRequest.parseFrom(message.duplicate())));
            } catch (InvalidProtocolBufferException e) {
                calls.remove(streamId);
                call.releasePending();
                encoder().writeRstStream(ctx, streamId, Http2Error.INTERNAL_ERROR.code(), ctx.newPromise());
                return false;
            }
            if (cache.size() < CACHED_REQUESTS) {
                cache.put(ByteBuffer.allocate(message.remaining()).put(message.duplicate()).flip(), answer);
            }
        }
        if (answer.isReadable()) {
            if (!call.headersSent) {
                call.headersSent = true;
                encoder().writeHeaders(ctx, streamId, RESPONSE_HEADERS, 0, false, ctx.newPromise());
            }
            encoder().writeData(ctx, streamId, answer.duplicate(), 0, false, ctx.newPromise());
        }
        return true;
    }

    /** The request has ended: status OK (trailers only if nothing was sent). */
    private void finish(ChannelHandlerContext ctx, int streamId, Call call) {
        calls.remove(streamId);
        call.releasePending();
        if (call.headersSent) {
            encoder().writeHeaders(ctx, streamId, OK_TRAILERS, 0, true, ctx.newPromise());
        } else {
            Http2Headers trailersOnly = new DefaultHttp2Headers().add(RESPONSE_HEADERS).add(OK_TRAILERS);
            encoder().writeHeaders(ctx, streamId, trailersOnly, 0, true, ctx.newPromise());
        }
    }

    private static MessageLite unaryResponse(SimpleRequest request) {
        return SimpleResponse.newBuilder().setPayload(zeros(request.getResponseSize())).build();
    }

    private static List<MessageLite> streamingResponses(StreamingOutputCallRequest request) {
        List<MessageLite> responses = new ArrayList<>();
        for (ResponseParameters parameters : request.getResponseParametersList()) {
            responses.add(StreamingOutputCallResponse.newBuilder().setPayload(zeros(parameters.getSize())).build());
        }
        return responses;
    }

    /** {@code responses} as gRPC frames (prefix and message) back to back, in a buffer never released. */
    private static ByteBuf frames(List<MessageLite> responses) {
        ByteBuf frames = Unpooled.directBuffer();
        for (MessageLite response : responses) {
            byte[] bytes = response.toByteArray();
            frames.writeByte(0).writeInt(bytes.length).writeBytes(bytes);
        }
        return Unpooled.unreleasableBuffer(frames);
    }

    private static Payload zeros(int size) {
        return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
    }

    private Http2ConnectionEncoder encoder() {
        if (encoder == null) {
            throw new IllegalStateException("frame before the handler was built");
        }
        return encoder;
    }
}
