package dev.lbchannel.orca;

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
import java.time.Duration;

/**
 * One {@code xds.service.orca.v3.OpenRcaService/StreamCoreMetrics} RPC on one connection,
 * straight on the transport (not through the picker, so it reports on the subchannel's own
 * backend). Its listener runs on the transport's event loop: it decodes each report there, asks
 * for the next, and hops the report into the serializer, where the {@link OrcaOobWatcher} drops
 * it if this stream is no longer its current one.
 */
final class OrcaStream implements ClientStreamListener {

    /** {@code rpc StreamCoreMetrics(OrcaLoadReportRequest) returns (stream OrcaLoadReport)}. */
    static final MethodDescriptor<byte[], byte[]> STREAM_CORE_METRICS = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName("xds.service.orca.v3.OpenRcaService/StreamCoreMetrics")
            .setRequestMarshaller(BytesMarshaller.INSTANCE)
            .setResponseMarshaller(BytesMarshaller.INSTANCE)
            .build();

    private final OrcaOobWatcher watcher;
    private final Serializer serializer;
    private final ClientTransport transport;
    private final ClientStream stream;
    private final Duration interval;

    OrcaStream(OrcaOobWatcher watcher, Serializer serializer, ClientTransport transport, Duration interval) {
        this.watcher = watcher;
        this.serializer = serializer;
        this.transport = transport;
        this.interval = interval;
        this.stream = transport.newStream(STREAM_CORE_METRICS, new Metadata(), CallOptions.DEFAULT, -1);
    }

    /** Opens the stream and sends the one request; reports arrive one at a time. */
    void start() {
        stream.start(this);
        stream.writeMessage(MessageFramer.frame(OrcaMessages.request(interval)));
        stream.halfClose();
        stream.request(1);
    }

    /** Cancels the RPC; A51 needs no final status from the server. Any thread. */
    void cancel(String reason) {
        stream.cancel(Status.CANCELLED.withDescription(reason));
    }

    ClientTransport transport() {
        return transport;
    }

    /** The report interval this stream asked for. */
    Duration interval() {
        return interval;
    }

    @Override
    public void onHeaders(Metadata headers) {
    }

    @Override
    public void onMessage(InputStream message) {
        OrcaLoadReport report;
        try (message) {
            report = OrcaMessages.parseReport(message.readAllBytes());
        } catch (IOException | RuntimeException e) {
            stream.cancel(Status.INTERNAL.withDescription("Unreadable ORCA load report: " + e.getMessage()));
            return;
        }
        stream.request(1);
        serializer.execute(() -> watcher.onReport(this, report));
    }

    @Override
    public void onReady() {
    }

    @Override
    public void onClose(Status status, RpcProgress progress, Metadata trailers) {
        serializer.execute(() -> watcher.onClosed(this, status));
    }
}
