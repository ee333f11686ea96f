package dev.lbchannel.health;

import dev.lbchannel.transport.ClientStream;
import dev.lbchannel.transport.ClientStreamListener;
import dev.lbchannel.transport.ClientTransport;
import dev.lbchannel.transport.RpcProgress;
import dev.lbchannel.transport.SocketStats;
import dev.lbchannel.transport.TransportListener;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection for {@link HealthWatcher} unit tests: it records the streams opened on it, and the
 * test answers them as a server would. Events are delivered on the test's thread, as the event
 * loop would deliver them.
 */
final class FakeWatchTransport implements ClientTransport {

    final List<FakeStream> streams = new ArrayList<>();
    volatile boolean shutdown;

    FakeStream lastStream() {
        return streams.get(streams.size() - 1);
    }

    @Override
    public void start(TransportListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ClientStream newStream(MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions,
            long deadlineNanos) {
        FakeStream stream = new FakeStream(method.getFullMethodName(), method.getType());
        streams.add(stream);
        return stream;
    }

    @Override
    public @Nullable Status verifyAuthority(String authority) {
        return null;
    }

    @Override
    public Attributes attributes() {
        return Attributes.EMPTY;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public void shutdown(Status reason) {
        shutdown = true;
    }

    @Override
    public void shutdownNow(Status reason) {
        shutdown = true;
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 1);
    }

    @Override
    public String authority() {
        return "127.0.0.1:1";
    }

    @Override
    public @Nullable SocketStats stats() {
        return null;
    }

    /** One RPC: what the client sent, and the server's side for the test to play. */
    static final class FakeStream implements ClientStream {
        final String method;
        final MethodDescriptor.MethodType type;
        final List<byte[]> sent = new ArrayList<>();
        ClientStreamListener listener;
        int requested;
        boolean halfClosed;
        @Nullable Status cancelled;
        boolean closed;

        FakeStream(String method, MethodDescriptor.MethodType type) {
            this.method = method;
            this.type = type;
        }

        /** The service name of the one request, read with grpc-java's message. */
        String requestedService() throws Exception {
            return HealthCheckRequest.parseFrom(sent.get(0)).getService();
        }

        void answer(HealthCheckResponse.ServingStatus status) {
            listener.onMessage(new ByteArrayInputStream(
                    HealthCheckResponse.newBuilder().setStatus(status).build().toByteArray()));
        }

        void close(Status status) {
            closed = true;
            listener.onClose(status, RpcProgress.COMPLETED, new Metadata());
        }

        @Override
        public void start(ClientStreamListener streamListener) {
            listener = streamListener;
        }

        @Override
        public void request(int numMessages) {
            requested += numMessages;
        }

        @Override
        public void writeMessage(ByteBuf framedMessage) {
            try {
                sent.add(ByteBufUtil.getBytes(framedMessage, framedMessage.readerIndex() + 5,
                        framedMessage.readableBytes() - 5));
            } finally {
                framedMessage.release();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void halfClose() {
            halfClosed = true;
        }

        @Override
        public void cancel(Status reason) {
            if (!closed) {
                cancelled = reason;
                closed = true;
                listener.onClose(reason, RpcProgress.PROCESSED, new Metadata());
            }
        }

        @Override
        public boolean isReady() {
            return true;
        }
    }
}
