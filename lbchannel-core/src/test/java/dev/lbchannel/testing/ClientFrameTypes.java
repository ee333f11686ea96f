package dev.lbchannel.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Follows the HTTP/2 frames a client sends, from the raw bytes ({@link TcpProxy.Tap}), and
 * records the stream of each RST_STREAM. Unlike a server's decoder, which drops a reset of a
 * stream it has closed without telling anyone, it sees every one, needless ones included.
 * Expects one connection: its state is that connection's position in the byte stream.
 */
public final class ClientFrameTypes implements TcpProxy.Tap {

    private static final int PREFACE_BYTES = 24;
    private static final int FRAME_HEADER_BYTES = 9;
    private static final int RST_STREAM = 0x3;

    private final List<Integer> resetStreams = new CopyOnWriteArrayList<>();
    private final byte[] header = new byte[FRAME_HEADER_BYTES];
    private int prefaceLeft = PREFACE_BYTES;
    private int headerBytes;
    /** Payload bytes of the current frame still to pass over. */
    private long payloadLeft;

    /** The streams the client reset, in order. */
    public List<Integer> resetStreams() {
        return resetStreams;
    }

    @Override
    public synchronized void clientSent(byte[] bytes, int length) {
        int i = 0;
        while (i < length) {
            if (prefaceLeft > 0) {
                int n = Math.min(prefaceLeft, length - i);
                prefaceLeft -= n;
                i += n;
            } else if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, length - i);
                payloadLeft -= n;
                i += n;
            } else {
                header[headerBytes++] = bytes[i++];
                if (headerBytes == FRAME_HEADER_BYTES) {
                    headerBytes = 0;
                    payloadLeft = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
                    if ((header[3] & 0xff) == RST_STREAM) {
                        resetStreams.add((header[5] & 0x7f) << 24 | (header[6] & 0xff) << 16 | (header[7] & 0xff) << 8
                                | (header[8] & 0xff));
                    }
                }
            }
        }
    }
}
