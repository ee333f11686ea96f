package dev.lbchannel.transport.hpack;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersDecoder;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Reads the header blocks of one connection's responses (RFC 7541 §6) into header lists. Every
 * malformed representation, index or size update is a COMPRESSION_ERROR for the connection
 * (RFC 9113 §4.3). A list larger than {@link #maxHeaderListSize()} is still decoded to its end, so
 * that the dynamic table stays in step with the server's, and then fails its stream only (a
 * {@link Http2Exception.HeaderListSizeException}); headers past the limit are not kept, so however
 * far indexes amplify a block, memory stays bounded. {@link #maxHeaderListSizeGoAway()} bounds the
 * compressed block, which the frame reader checks as CONTINUATION frames arrive.
 *
 * <p>Decoded names and values are {@link AsciiString}s over arrays of their own, shared by the
 * lists that refer to one dynamic table entry; well-known ones are shared instances
 * ({@link KnownStrings}). Not thread-safe: one connection's event loop uses it.
 */
public final class HeaderBlockDecoder implements Http2HeadersDecoder.Configuration {

    /** Huffman-coded strings up to this many bytes decode into the thread's scratch array. */
    private static final int SCRATCH_INPUT = 512;
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[HuffmanCode.maxDecodedLength(SCRATCH_INPUT)];
        }
    };

    private final DynamicTable table = new DynamicTable(Http2CodecUtil.DEFAULT_HEADER_TABLE_SIZE);
    /** The largest table the server may ask for: this client's SETTINGS_HEADER_TABLE_SIZE. */
    private long maxHeaderTableSize = Http2CodecUtil.DEFAULT_HEADER_TABLE_SIZE;
    private long maxHeaderListSize;
    private long maxHeaderListSizeGoAway;
    /** This client lowered its table size: the next block must begin with a size update (§4.2). */
    private boolean sizeUpdateRequired;

    /** Position in the block being decoded; blocks are decoded one at a time. */
    private int position;
    private int end;

    public HeaderBlockDecoder(long maxHeaderListSize) {
        if (maxHeaderListSize <= 0) {
            throw new IllegalArgumentException("maxHeaderListSize must be positive, was " + maxHeaderListSize);
        }
        this.maxHeaderListSize = maxHeaderListSize;
        // Only a compressed block is held to this (the frame reader's CONTINUATION check), and
        // oversized metadata should fail its call, not the connection: well above the first limit.
        this.maxHeaderListSizeGoAway = Math.max(4 * maxHeaderListSize, maxHeaderListSize + 65_536);
    }

    /**
     * Decodes the readable bytes of {@code block} (consuming them) into {@code into}, which must
     * accept {@link Http2Headers#add(Object, Object)}.
     */
    public void decode(int streamId, ByteBuf block, Http2Headers into) throws Http2Exception {
        position = block.readerIndex();
        end = block.writerIndex();
        long listSize = 0;
        boolean sizeUpdateAllowed = true;
        while (position < end) {
            int first = block.getByte(position) & 0xff;
            if (sizeUpdateRequired && (first & 0xe0) != 0x20) {
                throw compressionError("the block does not begin with the size update this client's smaller "
                        + "table size requires");
            }
            AsciiString name;
            AsciiString value;
            if ((first & 0x80) != 0) {                     // §6.1 indexed field
                int index = readInteger(block, 7);
                name = name(index);
                value = index <= StaticTable.LENGTH ? StaticTable.value(index)
                        : table.value(index - StaticTable.LENGTH);
            } else if ((first & 0x20) != 0 && (first & 0x40) == 0) { // §6.3 dynamic table size update
                if (!sizeUpdateAllowed) {
                    throw compressionError("a dynamic table size update after a header field");
                }
                long capacity = readInteger(block, 5);
                if (capacity > maxHeaderTableSize) {
                    throw compressionError("a dynamic table size update to " + capacity
                            + " bytes, above this client's limit of " + maxHeaderTableSize);
                }
                table.capacity(capacity);
                sizeUpdateRequired = false;
                continue;
            } else {                                        // §6.2 literal field
                boolean indexing = (first & 0x40) != 0;
                int nameIndex = readInteger(block, indexing ? 6 : 4);
                name = nameIndex == 0 ? readString(block) : name(nameIndex);
                value = readString(block);
                if (indexing) {
                    table.add(name, value);
                }
            }
            sizeUpdateAllowed = false;
            listSize += DynamicTable.entrySize(name, value);
            if (listSize <= maxHeaderListSize) {
                into.add(name, value);
            }
        }
        block.readerIndex(end);
        if (listSize > maxHeaderListSize) {
            throw Http2Exception.headerListSizeError(streamId, Http2Error.PROTOCOL_ERROR, true,
                    "Response metadata of %d bytes is over the limit of %d", listSize, maxHeaderListSize);
        }
    }

    private AsciiString name(int index) throws Http2Exception {
        if (index >= 1 && index <= StaticTable.LENGTH) {
            return StaticTable.name(index);
        }
        if (index > StaticTable.LENGTH && index - StaticTable.LENGTH <= table.length()) {
            return table.name(index - StaticTable.LENGTH);
        }
        throw compressionError("index " + index + " is outside the tables (" + StaticTable.LENGTH + " static, "
                + table.length() + " dynamic entries)");
    }

    /** §5.1: an integer with an {@code prefixBits}-bit prefix; larger than an int is an error. */
    private int readInteger(ByteBuf block, int prefixBits) throws Http2Exception {
        int max = (1 << prefixBits) - 1;
        int value = block.getByte(position++) & max;
        if (value < max) {
            return value;
        }
        long total = value;
        for (int shift = 0; ; shift += 7) {
            if (shift > 28) {
                throw compressionError("an integer is encoded in more than 5 continuation bytes");
            }
            if (position >= end) {
                throw compressionError("an integer is cut off by the end of the block");
            }
            int next = block.getByte(position++);
            total += (long) (next & 0x7f) << shift;
            if (total > Integer.MAX_VALUE) {
                throw compressionError("an integer is larger than 2^31 - 1");
            }
            if ((next & 0x80) == 0) {
                return (int) total;
            }
        }
    }

    /** §5.2: a string literal, raw or Huffman-coded. */
    private AsciiString readString(ByteBuf block) throws Http2Exception {
        if (position >= end) {
            throw compressionError("a string literal is missing at the end of the block");
        }
        boolean huffman = (block.getByte(position) & 0x80) != 0;
        int length = readInteger(block, 7);
        if (length > end - position) {
            throw compressionError("a string literal of " + length + " bytes is longer than the "
                    + (end - position) + " left in the block");
        }
        int start = position;
        position += length;
        if (length == 0) {
            return AsciiString.EMPTY_STRING;
        }
        if (!huffman) {
            AsciiString known = KnownStrings.find(block, start, length);
            if (known != null) {
                return known;
            }
            byte[] bytes = new byte[length];
            block.getBytes(start, bytes);
            return new AsciiString(bytes, false);
        }
        byte[] decoded = length <= SCRATCH_INPUT ? SCRATCH.get() : new byte[HuffmanCode.maxDecodedLength(length)];
        int decodedLength = HuffmanCode.decode(block, start, length, decoded);
        AsciiString known = KnownStrings.find(decoded, decodedLength);
        return known != null ? known : new AsciiString(decoded, 0, decodedLength, true);
    }

    private static Http2Exception compressionError(String what) {
        return Http2Exception.connectionError(Http2Error.COMPRESSION_ERROR, "HPACK: %s", what);
    }

    // ---- Configuration: this client's limits ----

    @Override
    public void maxHeaderTableSize(long max) throws Http2Exception {
        if (max < 0 || max > Http2CodecUtil.MAX_HEADER_TABLE_SIZE) {
            throw Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR, "Header table size %d is out of range", max);
        }
        if (max < maxHeaderTableSize) {
            sizeUpdateRequired = true; // once the server has our SETTINGS; we never send a smaller one
        }
        maxHeaderTableSize = max;
        if (max < table.capacity()) {
            table.capacity(max);
        }
    }

    @Override
    public long maxHeaderTableSize() {
        return maxHeaderTableSize;
    }

    @Override
    public void maxHeaderListSize(long max, long goAwayMax) throws Http2Exception {
        if (goAwayMax < max || max <= 0) {
            throw Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
                    "Header list limits out of order: %d, then %d to end the connection", max, goAwayMax);
        }
        maxHeaderListSize = max;
        maxHeaderListSizeGoAway = goAwayMax;
    }

    @Override
    public long maxHeaderListSize() {
        return maxHeaderListSize;
    }

    @Override
    public long maxHeaderListSizeGoAway() {
        return maxHeaderListSizeGoAway;
    }
}
