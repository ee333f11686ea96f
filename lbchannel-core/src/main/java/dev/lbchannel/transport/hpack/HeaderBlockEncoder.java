package dev.lbchannel.transport.hpack;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes the header blocks of one connection's requests (RFC 7541 §6). A header already in a
 * table is one index; any other is a literal added to the dynamic table, so a call's second
 * request on a connection is a few bytes. Strings are never Huffman-coded (request headers are
 * short, and indexed after the first call). {@code grpc-timeout}, whose value differs on nearly
 * every call, is written as a literal that is not indexed once its name is in the table: indexing
 * each value would push the headers that do repeat out of the table.
 *
 * <p>The table holds at most {@value #MAX_CAPACITY} bytes, or less when the server's
 * SETTINGS_HEADER_TABLE_SIZE says so; a change is announced by a size update at the start of the
 * next block (§4.2: the smallest size since the last block first, when it went down and up again).
 * A list larger than the server's SETTINGS_MAX_HEADER_LIST_SIZE fails before anything is written.
 *
 * <p>Not thread-safe: one connection's event loop uses it.
 */
public final class HeaderBlockEncoder implements Http2HeadersEncoder.Configuration {

    /** The table this encoder keeps, whatever larger size a server allows: what a request needs. */
    static final int MAX_CAPACITY = (int) Http2CodecUtil.DEFAULT_HEADER_TABLE_SIZE;
    private static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
    private static final long NO_UPDATE = -1;

    private final DynamicTable table = new DynamicTable(MAX_CAPACITY);
    private long maxHeaderTableSize = Http2CodecUtil.DEFAULT_HEADER_TABLE_SIZE;
    private long maxHeaderListSize = Http2CodecUtil.MAX_HEADER_LIST_SIZE;
    /** The smallest capacity since the last block, when it changed; then the current one. */
    private long pendingSmallest = NO_UPDATE;
    private long pendingFinal = NO_UPDATE;
    /** Where the next search of the dynamic table starts; see {@link #indexOf}. */
    private int hint;

    /**
     * Encodes {@code headers} into {@code out}; on failure (a list over the server's limit)
     * nothing is written and the table is unchanged.
     */
    public void encode(int streamId, Http2Headers headers, ByteBuf out) throws Http2Exception {
        if (maxHeaderListSize < Http2CodecUtil.MAX_HEADER_LIST_SIZE) {
            long listSize = 0;
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iterator(); it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> header = it.next();
                listSize += DynamicTable.entrySize(header.getKey(), header.getValue());
            }
            if (listSize > maxHeaderListSize) {
                throw Http2Exception.headerListSizeError(streamId, Http2Error.PROTOCOL_ERROR, false,
                        "Request metadata of %d bytes is over the server's limit of %d", listSize, maxHeaderListSize);
            }
        }
        if (pendingFinal != NO_UPDATE) {
            if (pendingSmallest < pendingFinal) {
                writeInteger(out, 0x20, 5, pendingSmallest);
            }
            writeInteger(out, 0x20, 5, pendingFinal);
            pendingSmallest = NO_UPDATE;
            pendingFinal = NO_UPDATE;
        }
        hint = table.length(); // the oldest entry: the first header of the first request added
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iterator(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            encodeHeader(out, header.getKey(), header.getValue());
        }
    }

    private void encodeHeader(ByteBuf out, CharSequence name, CharSequence value) {
        // Pseudo-headers look in the static table first (:method POST and :scheme are there);
        // the rest in the dynamic table first, which from a connection's second call on holds
        // nearly every one of them.
        boolean pseudo = name.length() > 0 && name.charAt(0) == ':';
        int staticIndex = pseudo ? StaticTable.indexOf(name, value) : 0;
        int dynamicIndex = staticIndex > 0 ? 0 : indexOf(name, value);
        if (!pseudo && dynamicIndex <= 0) {
            staticIndex = StaticTable.indexOf(name, value);
        }
        if (staticIndex > 0) {
            writeInteger(out, 0x80, 7, staticIndex);
            return;
        }
        if (dynamicIndex > 0) {
            writeInteger(out, 0x80, 7, StaticTable.LENGTH + dynamicIndex);
            return;
        }
        int nameIndex = staticIndex < 0 ? -staticIndex
                : dynamicIndex < 0 ? StaticTable.LENGTH - dynamicIndex : 0;
        boolean indexing = DynamicTable.entrySize(name, value) <= table.capacity()
                && !(nameIndex != 0 && GRPC_TIMEOUT.contentEquals(name));
        if (indexing) {
            writeInteger(out, 0x40, 6, nameIndex);
        } else {
            writeInteger(out, 0x00, 4, nameIndex); // §6.2.2 literal without indexing
        }
        if (nameIndex == 0) {
            writeString(out, name);
        }
        writeString(out, value);
        if (indexing) {
            table.add(AsciiString.of(name), AsciiString.of(value));
            hint++; // the entry expected next is one older now
        }
    }

    /**
     * The dynamic index of {@code name: value}, or the negated index of an entry named
     * {@code name}, or 0. A request's headers come in the order they went into the table, so
     * the search starts where the last one matched, one entry newer, and goes round: one or two
     * comparisons per header when the request repeats. Identity before content: most headers
     * are the same instances call after call (the method's path, the authority, the user agent).
     */
    private int indexOf(CharSequence name, CharSequence value) {
        int length = table.length();
        if (length == 0) {
            return 0;
        }
        int nameMatch = 0;
        int nameHash = AsciiString.hashCode(name);  // cached in an AsciiString; entries' are too
        int valueHash = 0;
        int index = Math.min(Math.max(hint, 1), length);
        for (int seen = 0; seen < length; seen++, index = index == 1 ? length : index - 1) {
            AsciiString entryName = table.name(index);
            if (entryName != name && (entryName.hashCode() != nameHash || !StaticTable.sameText(entryName, name))) {
                continue;
            }
            AsciiString entryValue = table.value(index);
            if (entryValue != value) {
                if (valueHash == 0) {
                    valueHash = AsciiString.hashCode(value);
                }
                if (entryValue.hashCode() != valueHash || !StaticTable.sameText(entryValue, value)) {
                    if (nameMatch == 0) {
                        nameMatch = index;
                    }
                    continue;
                }
            }
            hint = index - 1;
            return index;
        }
        return -nameMatch;
    }

    /** §5.1: {@code value} with an {@code prefixBits}-bit prefix after the pattern bits {@code mask}. */
    private static void writeInteger(ByteBuf out, int mask, int prefixBits, long value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.writeByte(mask | (int) value);
            return;
        }
        out.writeByte(mask | max);
        long rest = value - max;
        while (rest >= 0x80) {
            out.writeByte((int) (rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        out.writeByte((int) rest);
    }

    /** §5.2: a raw string literal; characters above U+00FF cannot be sent and become '?'. */
    private static void writeString(ByteBuf out, CharSequence text) {
        writeInteger(out, 0x00, 7, text.length());
        if (text instanceof AsciiString ascii) {
            out.writeBytes(ascii.array(), ascii.arrayOffset(), ascii.length());
        } else {
            out.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        }
    }

    // ---- Configuration: the server's limits, from its SETTINGS ----

    @Override
    public void maxHeaderTableSize(long max) throws Http2Exception {
        if (max < 0 || max > Http2CodecUtil.MAX_HEADER_TABLE_SIZE) {
            throw Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
                    "SETTINGS_HEADER_TABLE_SIZE %d is out of range", max);
        }
        maxHeaderTableSize = max;
        long capacity = Math.min(max, MAX_CAPACITY);
        if (capacity != table.capacity()) {
            table.capacity(capacity);
            pendingSmallest = pendingSmallest == NO_UPDATE ? capacity : Math.min(pendingSmallest, capacity);
            pendingFinal = capacity;
        }
    }

    @Override
    public long maxHeaderTableSize() {
        return maxHeaderTableSize;
    }

    @Override
    public void maxHeaderListSize(long max) throws Http2Exception {
        if (max < 0) {
            throw Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
                    "SETTINGS_MAX_HEADER_LIST_SIZE %d is out of range", max);
        }
        maxHeaderListSize = max;
    }

    @Override
    public long maxHeaderListSize() {
        return maxHeaderListSize;
    }
}
