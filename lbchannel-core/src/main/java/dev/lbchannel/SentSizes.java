package dev.lbchannel;

import dev.lbchannel.transport.StreamTracers;

import java.util.Arrays;

/**
 * The sizes of the messages an {@link OutboundBuffer} keeps, so that an attempt the buffer is
 * replayed into can report them to its {@link StreamTracers} as if sent to it directly. Exists
 * only for calls with stream tracers. Guarded by the owning call's lock, like the buffer.
 */
final class SentSizes {

    /** Per message: wire size (compressed, no prefix), then uncompressed size. */
    private int[] sizes = new int[4];
    private int count;

    void add(int wireBytes, int uncompressedBytes) {
        if (2 * count + 2 > sizes.length) {
            sizes = Arrays.copyOf(sizes, sizes.length * 2);
        }
        sizes[2 * count] = wireBytes;
        sizes[2 * count + 1] = uncompressedBytes;
        count++;
    }

    /** Reports every kept message to {@code tracers}, oldest first. */
    void reportTo(StreamTracers tracers) {
        for (int i = 0; i < count; i++) {
            tracers.outboundMessage(sizes[2 * i], sizes[2 * i + 1]);
        }
    }

    /** Forgets the sizes, as the buffer forgets its messages once the call commits. */
    void release() {
        count = 0;
    }
}
