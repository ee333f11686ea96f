package dev.lbchannel.transport;

import dev.lbchannel.serializer.Serializer;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.BiConsumer;

/**
 * One server-streaming RPC made straight on a connection, not through the picker, for the streams
 * a subchannel keeps on its own connection (a health {@code Watch}, gRFC A17; ORCA's
 * {@code StreamCoreMetrics}, gRFC A51). It sends its one request; each answer is decoded on the
 * transport's event loop, the next one asked for, and the answer handed on the serializer to its
 * owner, which drops it if this stream is no longer its current one; so is the close. An answer that cannot be decoded cancels the RPC with INTERNAL.
 *
 * @param <T> a decoded answer
 */
public final class ServerStreamingWatch<T> implements ClientStreamListener {

    /** Decodes one answer's bytes; may throw on a malformed one. */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(byte[] message) throws IOException;
    }

    private final BiConsumer<ServerStreamingWatch<T>, T> onAnswer;
    private final BiConsumer<ServerStreamingWatch<T>, Status> onClosed;
    private final Decoder<T> decoder;
    private final String answers;
    private final Serializer serializer;
    private final ClientTransport transport;
    private final ClientStream stream;

    /**
     * @param answers what the answers are, for the status of an unreadable one ("health response")
     * @param onAnswer hears each answer, on the serializer, with the watch it came from
     * @param onClosed hears the close, on the serializer, with the watch that closed
     */
    public ServerStreamingWatch(ClientTransport transport, MethodDescriptor<byte[], byte[]> method,
            Serializer serializer, Decoder<T> decoder, String answers, BiConsumer<ServerStreamingWatch<T>, T> onAnswer,
            BiConsumer<ServerStreamingWatch<T>, Status> onClosed) {
        this.onAnswer = onAnswer;
        this.onClosed = onClosed;
        this.decoder = decoder;
        this.answers = answers;
        this.serializer = serializer;
        this.transport = transport;
        this.stream = transport.newStream(method, new Metadata(), CallOptions.DEFAULT, -1);
    }

    /** A server-streaming method of raw messages, {@code service/method}. */
    public static MethodDescriptor<byte[], byte[]> method(String fullMethodName) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
                .setFullMethodName(fullMethodName)
                .setRequestMarshaller(BytesMarshaller.INSTANCE)
                .setResponseMarshaller(BytesMarshaller.INSTANCE)
                .build();
    }

    /** Opens the stream and sends the one request; answers arrive one at a time. */
    public void start(byte[] request) {
        stream.start(this);
        stream.writeMessage(MessageFramer.frame(request));
        stream.halfClose();
        stream.request(1);
    }

    /** Cancels the RPC; neither gRFC needs a final status from the server. Any thread. */
    public void cancel(String reason) {
        stream.cancel(Status.CANCELLED.withDescription(reason));
    }

    /** The connection it runs on. */
    public ClientTransport transport() {
        return transport;
    }

    @Override
    public void onHeaders(Metadata headers) {
    }

    @Override
    public void onMessage(InputStream message) {
        T answer;
        try (message) {
            answer = decoder.decode(message.readAllBytes());
        } catch (IOException | RuntimeException e) {
            stream.cancel(Status.INTERNAL.withDescription("Unreadable " + answers + ": " + e.getMessage()));
            return;
        }
        stream.request(1);
        serializer.execute(() -> onAnswer.accept(this, answer));
    }

    @Override
    public void onReady() {
    }

    @Override
    public void onClose(Status status, RpcProgress progress, Metadata trailers) {
        serializer.execute(() -> onClosed.accept(this, status));
    }
}
