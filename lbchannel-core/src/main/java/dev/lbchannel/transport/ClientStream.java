package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.grpc.Status;

/**
 * The client side of one RPC's HTTP/2 stream.
 *
 * <p>A stream is created unstarted by {@link ClientTransport#newStream}; nothing reaches the
 * connection and no event is heard before {@link #start}, so the caller can record the stream
 * before the server can answer it. Calls come from the application's thread (one at a time, as
 * {@code io.grpc.ClientCall} promises; {@link #cancel} and {@link #request} from any thread) and
 * cross into the event loop; none blocks. Writes are coalesced: nothing reaches the socket
 * before {@link #flush()}, {@link #halfClose()} or {@link #cancel(Status)}.
 */
public interface ClientStream {

    /**
     * Opens the stream on its connection; from now on {@code listener} hears its events. Call
     * once, before any other method. The listener is never closed before this returns (a stream
     * the connection refuses hears so in a later event-loop task), but when called on the event
     * loop it may hear {@link ClientStreamListener#onReady()} inside this call.
     */
    void start(ClientStreamListener listener);

    /** Allows {@code numMessages} more messages to reach {@link ClientStreamListener#onMessage}. */
    void request(int numMessages);

    /**
     * Queues one message already framed by {@link MessageFramer} (5-byte prefix included).
     * Takes ownership of {@code framedMessage}: the stream releases it.
     */
    void writeMessage(ByteBuf framedMessage);

    /** Sends what {@link #writeMessage} queued. */
    void flush();

    /** Sends END_STREAM after the queued messages. */
    void halfClose();

    /**
     * Cancels the RPC: sends RST_STREAM(CANCEL) if the stream is open and closes the listener
     * with {@code reason} (unless it is closed already).
     */
    void cancel(Status reason);

    /** Whether the stream can take more messages without buffering past its flow-control window. */
    boolean isReady();
}
