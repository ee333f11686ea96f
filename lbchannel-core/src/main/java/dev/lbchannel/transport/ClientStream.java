package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.grpc.Status;

/**
 * The client side of one RPC's HTTP/2 stream.
 *
 * <p>Calls come from the application's thread (one at a time, as {@code io.grpc.ClientCall}
 * promises) and cross into the event loop; none blocks. Writes are coalesced: nothing reaches
 * the socket before {@link #flush()}, {@link #halfClose()} or {@link #cancel(Status)}.
 */
public interface ClientStream {

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
