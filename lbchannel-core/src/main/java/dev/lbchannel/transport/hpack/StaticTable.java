package dev.lbchannel.transport.hpack;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * HPACK's static table (RFC 7541 Appendix A): 61 entries at indexes 1 to 61, shared by every
 * connection. Looking a name up hashes into a small open-addressed table built once, so the
 * encoder pays a hash and a compare or two per header, not a scan of 61 entries.
 */
final class StaticTable {

    /** The number of entries; dynamic table indexes start after it. */
    static final int LENGTH = 61;

    private static final AsciiString EMPTY = AsciiString.EMPTY_STRING;
    private static final AsciiString[] NAMES = new AsciiString[LENGTH + 1];
    private static final AsciiString[] VALUES = new AsciiString[LENGTH + 1];
    /** Open addressing by name hash: the first index of each distinct name, 0 for an empty slot. */
    private static final byte[] FIRST_INDEX_BY_NAME = new byte[128];
    private static final int MASK = FIRST_INDEX_BY_NAME.length - 1;

    static {
        String[] pairs = {
            ":authority", "", ":method", "GET", ":method", "POST", ":path", "/", ":path", "/index.html",
            ":scheme", "http", ":scheme", "https", ":status", "200", ":status", "204", ":status", "206",
            ":status", "304", ":status", "400", ":status", "404", ":status", "500", "accept-charset", "",
            "accept-encoding", "gzip, deflate", "accept-language", "", "accept-ranges", "", "accept", "",
            "access-control-allow-origin", "", "age", "", "allow", "", "authorization", "", "cache-control", "",
            "content-disposition", "", "content-encoding", "", "content-language", "", "content-length", "",
            "content-location", "", "content-range", "", "content-type", "", "cookie", "", "date", "", "etag", "",
            "expect", "", "expires", "", "from", "", "host", "", "if-match", "", "if-modified-since", "",
            "if-none-match", "", "if-range", "", "if-unmodified-since", "", "last-modified", "", "link", "",
            "location", "", "max-forwards", "", "proxy-authenticate", "", "proxy-authorization", "", "range", "",
            "referer", "", "refresh", "", "retry-after", "", "server", "", "set-cookie", "",
            "strict-transport-security", "", "transfer-encoding", "", "user-agent", "", "vary", "", "via", "",
            "www-authenticate", "",
        };
        for (int index = 1; index <= LENGTH; index++) {
            AsciiString name = name(pairs[2 * index - 2]);
            NAMES[index] = index > 1 && name.contentEquals(NAMES[index - 1]) ? NAMES[index - 1] : name;
            String value = pairs[2 * index - 1];
            VALUES[index] = value.isEmpty() ? EMPTY : AsciiString.cached(value);
            if (NAMES[index] != NAMES[index - 1]) {
                int slot = AsciiString.hashCode(name) & MASK;
                while (FIRST_INDEX_BY_NAME[slot] != 0) {
                    slot = (slot + 1) & MASK;
                }
                FIRST_INDEX_BY_NAME[slot] = (byte) index;
            }
        }
    }

    private StaticTable() {
    }

    /**
     * Netty's own instance of a pseudo-header's name, which request header lists carry, so that
     * looking it up here is an identity check; a new one for any other name.
     */
    private static AsciiString name(String text) {
        Http2Headers.PseudoHeaderName pseudo = Http2Headers.PseudoHeaderName.getPseudoHeader(text);
        return pseudo != null ? pseudo.value() : AsciiString.cached(text);
    }

    /**
     * Whether {@code other} has the text of {@code known}: identity first, then a plain loop,
     * which for the few bytes of a header beats {@code contentEquals}' general comparison.
     */
    static boolean sameText(AsciiString known, CharSequence other) {
        if (known == other) {
            return true;
        }
        int length = known.length();
        if (other.length() != length) {
            return false;
        }
        if (other instanceof AsciiString ascii) {
            byte[] a = known.array();
            byte[] b = ascii.array();
            int offsetA = known.arrayOffset();
            int offsetB = ascii.arrayOffset();
            for (int i = 0; i < length; i++) {
                if (a[offsetA + i] != b[offsetB + i]) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < length; i++) {
            if (known.charAt(i) != other.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static AsciiString name(int index) {
        return NAMES[index];
    }

    static AsciiString value(int index) {
        return VALUES[index];
    }

    /** The first index whose name is {@code name}, or 0 when none is. */
    static int indexOfName(CharSequence name) {
        int hash = AsciiString.hashCode(name);
        int slot = hash & MASK;
        for (int index; (index = FIRST_INDEX_BY_NAME[slot]) != 0; slot = (slot + 1) & MASK) {
            AsciiString candidate = NAMES[index];
            if (candidate == name || candidate.hashCode() == hash && sameText(candidate, name)) {
                return index;
            }
        }
        return 0;
    }

    /**
     * The index of the entry {@code name: value}, or the negated index of the first entry with
     * that name, or 0 when the name is not in the table.
     */
    static int indexOf(CharSequence name, CharSequence value) {
        int first = indexOfName(name);
        if (first == 0) {
            return 0;
        }
        AsciiString shared = NAMES[first];
        for (int index = first; index <= LENGTH && NAMES[index] == shared; index++) {
            if (sameText(VALUES[index], value)) {
                return index;
            }
        }
        return -first;
    }
}
