package dev.lbchannel.health;

import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.transport.BytesMarshaller;
import dev.lbchannel.transport.ClientStream;
import dev.lbchannel.transport.ClientStreamListener;
import dev.lbchannel.transport.ClientTransport;
import dev.lbchannel.transport.MessageFramer;
import dev.lbchannel.transport.RpcProgress;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

import java.io.IOException;
import java.io.InputStream;

/**
 * One {@code grpc.health.v1.Health/Watch} RPC on one connection, straight on the transport (not
 * through the picker, so it always uses the subchannel's own connection). Its listener runs on
 * the transport's event loop: it decodes each answer there, asks for the next one, and hops the
 * result into the serializer, where the {@link HealthWatcher} drops it if this stream is no longer
 * its current one.
 */
final class WatchStream implements ClientStreamListener {

    /** {@code rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse)}. */
    static final MethodDescriptor<byte[], byte[]> WATCH = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName("grpc.health.v1.Health/Watch")
            .setRequestMarshaller(BytesMarshaller.INSTANCE)
            .setResponseMarshaller(BytesMarshaller.INSTANCE)
            .build();

    private final HealthWatcher watcher;
    private final Serializer serializer;
    private final ClientTransport transport;
    private final ClientStream stream;

    WatchStream(HealthWatcher watcher, Serializer serializer, ClientTransport transport) {
        this.watcher = watcher;
        this.serializer = serializer;
        this.transport = transport;
        this.stream = transport.newStream(WATCH, new Metadata(), CallOptions.DEFAULT, -1);
    }

    /** Opens the stream and sends the one request; answers arrive one at a time. */
    void start(String serviceName) {
        stream.start(this);
        stream.writeMessage(MessageFramer.frame(HealthMessages.request(serviceName)));
        stream.halfClose();
        stream.request(1);
    }

    /** Cancels the RPC; A17 needs no final status from the server. Any thread. */
    void cancel(String reason) {
        stream.cancel(Status.CANCELLED.withDescription(reason));
    }

    ClientTransport transport() {
        return transport;
    }

    @Override
    public void onHeaders(Metadata headers) {
    }

    @Override
    public void onMessage(InputStream message) {
        ServingStatus status;
        try (message) {
            status = HealthMessages.responseStatus(message.readAllBytes());
        } catch (IOException | RuntimeException e) {
            stream.cancel(Status.INTERNAL.withDescription("Unreadable health response: " + e.getMessage()));
            return;
        }
        stream.request(1);
        serializer.execute(() -> watcher.onResponse(this, status));
    }

    @Override
    public void onReady() {
    }

    @Override
    public void onClose(Status status, RpcProgress progress, Metadata trailers) {
        serializer.execute(() -> watcher.onClosed(this, status));
    }
}
