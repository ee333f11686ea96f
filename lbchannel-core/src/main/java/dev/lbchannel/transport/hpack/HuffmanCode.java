package dev.lbchannel.transport.hpack;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * Decodes HPACK's Huffman code (RFC 7541 §5.2, Appendix B). The code is canonical: codes of one
 * length are consecutive integers, assigned in symbol order, each length's run starting where the
 * shorter one's ended, shifted left. So the code lengths alone define it, and a code is found by
 * reading its bits a length at a time and comparing against where each length's run ends: a few
 * comparisons per symbol from three small arrays, rather than a state machine built at start-up.
 *
 * <p>This client never Huffman-encodes: its request headers are short and mostly indexed after
 * the first call (Netty's encoder, and grpc-java's, leave strings under 512 bytes raw too).
 */
final class HuffmanCode {

    private static final int EOS = 256;
    private static final int MAX_LENGTH = 30;

    /** Code lengths of the symbols 0 to 255 and EOS (256), from RFC 7541 Appendix B. */
    private static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30,
    };

    /** The first code of each length, read as an integer of that many bits. */
    private static final int[] FIRST = new int[MAX_LENGTH + 1];
    /** One past the last code of each length: a code of {@code n} bits below {@code LIMIT[n]} is complete. */
    private static final int[] LIMIT = new int[MAX_LENGTH + 1];
    /** Where each length's symbols start in {@link #SYMBOLS}. */
    private static final int[] OFFSET = new int[MAX_LENGTH + 1];
    /** The symbols ordered by code length, then by value: the order of their codes. */
    private static final short[] SYMBOLS = new short[EOS + 1];

    static {
        int[] count = new int[MAX_LENGTH + 1];
        for (byte length : LENGTHS) {
            count[length]++;
        }
        int code = 0;
        int offset = 0;
        for (int length = 1; length <= MAX_LENGTH; length++) {
            FIRST[length] = code;
            LIMIT[length] = code + count[length];
            OFFSET[length] = offset;
            offset += count[length];
            code = (code + count[length]) << 1;
        }
        int[] next = OFFSET.clone();
        for (int symbol = 0; symbol <= EOS; symbol++) {
            SYMBOLS[next[LENGTHS[symbol]]++] = (short) symbol;
        }
    }

    private HuffmanCode() {
    }

    /** The most bytes {@code length} bytes of code can decode to: no code is shorter than 5 bits. */
    static int maxDecodedLength(int length) {
        return (int) ((length * 8L) / 5);
    }

    /**
     * Decodes {@code length} bytes of {@code in} from {@code index} into {@code out}, which holds
     * at least {@link #maxDecodedLength}, and returns how many bytes it wrote. The last byte's
     * spare bits must be a prefix of EOS (all ones) and fewer than eight; EOS itself must not
     * appear (§5.2): otherwise a COMPRESSION_ERROR.
     */
    static int decode(ByteBuf in, int index, int length, byte[] out) throws Http2Exception {
        long bits = 0;      // unread bits, right-aligned
        int available = 0;  // how many
        int read = index;
        int end = index + length;
        int written = 0;
        while (true) {
            while (available <= 56 && read < end) {
                bits = (bits << 8) | (in.getByte(read++) & 0xff);
                available += 8;
            }
            if (available == 0) {
                return written;
            }
            int codeLength = 5;
            int code;
            while (true) {
                if (codeLength > available) {
                    // Input is exhausted (a longer code always has enough bits while bytes remain).
                    long padding = (1L << available) - 1;
                    if (available > 7 || (bits & padding) != padding) {
                        throw Http2Exception.connectionError(Http2Error.COMPRESSION_ERROR,
                                "HPACK: a Huffman-coded string ends in an incomplete code, not in padding");
                    }
                    return written;
                }
                code = (int) (bits >>> (available - codeLength)) & (int) ((1L << codeLength) - 1);
                if (code < LIMIT[codeLength]) {
                    break;
                }
                codeLength++;
            }
            int symbol = SYMBOLS[OFFSET[codeLength] + code - FIRST[codeLength]];
            if (symbol == EOS) {
                throw Http2Exception.connectionError(Http2Error.COMPRESSION_ERROR,
                        "HPACK: a Huffman-coded string contains EOS");
            }
            out[written++] = (byte) symbol;
            available -= codeLength;
            bits &= (1L << available) - 1;
        }
    }
}
