package dev.lbchannel.transport;

import dev.lbchannel.transport.hpack.HeaderBlockDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.EmptyHeaders;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersDecoder;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import org.jspecify.annotations.Nullable;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The headers or trailers of one response, as HPACK decoded them: a flat array of name/value
 * pairs in arrival order. A gRPC response carries a handful of headers that are each read once
 * or twice, so a linear scan beats a hash table, and the list costs two objects instead of one
 * per header plus a bucket array.
 *
 * <p>Supports what the decoder and the response path use: {@code add}, {@code set},
 * {@code setLong} and {@code remove}, the pseudo-header accessors, {@code get}, {@code getAll},
 * {@code contains}, iteration and {@code names}. The remaining typed getters and mutators are
 * {@link EmptyHeaders}' (they answer as if the list were empty, or throw): nothing here uses
 * them. Names compare case-sensitively, as HTTP/2 sends them lowercase.
 *
 * <p>Not thread-safe: filled and read on the connection's event loop.
 */
final class ResponseHeaders extends EmptyHeaders<CharSequence, CharSequence, Http2Headers> implements Http2Headers {

    private static final AsciiString STATUS = PseudoHeaderName.STATUS.value();
    private static final CharSequence[] NO_ENTRIES = {};
    /** Header lists decode into a thread's scratch array of this size, then move to an exact one. */
    private static final int SCRATCH_SLOTS = 64;
    /**
     * Per thread, not per connection: a header list is decoded and moved out in one call on the
     * connection's event loop, so the connections of one loop can share it (272 bytes each saved).
     */
    private static final FastThreadLocal<CharSequence[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected CharSequence[] initialValue() {
            return new CharSequence[SCRATCH_SLOTS];
        }
    };

    /** Names at even, values at odd indexes; {@code 2 * size} slots in use. */
    private CharSequence[] entries;
    private int size;

    private ResponseHeaders(CharSequence[] entries) {
        this.entries = entries;
    }

    /**
     * An HPACK decoder whose header lists are {@code ResponseHeaders}, without validation. Each
     * list is filled in the thread's scratch array and then copied to one of its exact size, so
     * that trailers (usually one header) do not pay for the headers' (usually four).
     */
    static Http2HeadersDecoder decoder(long maxHeaderListSize) {
        HeaderBlockDecoder hpack = new HeaderBlockDecoder(maxHeaderListSize);
        return new Http2HeadersDecoder() {
            @Override
            public Http2Headers decodeHeaders(int streamId, ByteBuf headerBlock) throws Http2Exception {
                ResponseHeaders headers = new ResponseHeaders(SCRATCH.get());
                try {
                    hpack.decode(streamId, headerBlock, headers);
                } catch (Http2Exception | RuntimeException e) {
                    // A list that failed (too large, malformed) may have filled the whole scratch
                    // array; the thread's array must not keep its values alive.
                    Arrays.fill(SCRATCH.get(), null);
                    throw e;
                }
                headers.moveOut();
                return headers;
            }

            @Override
            public Configuration configuration() {
                return hpack;
            }
        };
    }

    /** Copies the entries out of the scratch array into an array of their own, and clears it. */
    private void moveOut() {
        CharSequence[] scratch = SCRATCH.get();
        CharSequence[] own = size == 0 ? NO_ENTRIES : Arrays.copyOf(entries, 2 * size);
        Arrays.fill(scratch, 0, Math.min(scratch.length, 2 * size), null);
        entries = own;
    }

    /** The name of the {@code index}-th header, {@code 0 <= index < size()}. */
    CharSequence name(int index) {
        return entries[2 * index];
    }

    /** The value of the {@code index}-th header. */
    CharSequence value(int index) {
        return entries[2 * index + 1];
    }

    @Override
    public Http2Headers add(CharSequence name, CharSequence value) {
        if (2 * size == entries.length) {
            entries = Arrays.copyOf(entries, Math.max(8, entries.length * 2)); // never the scratch again
        }
        entries[2 * size] = name;
        entries[2 * size + 1] = value;
        size++;
        return this;
    }

    @Override
    public Http2Headers set(CharSequence name, CharSequence value) {
        remove(name);
        return add(name, value);
    }

    @Override
    public Http2Headers setLong(CharSequence name, long value) {
        return set(name, AsciiString.of(Long.toString(value)));
    }

    @Override
    public boolean remove(CharSequence name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!AsciiString.contentEquals(entries[2 * i], name)) {
                entries[2 * kept] = entries[2 * i];
                entries[2 * kept + 1] = entries[2 * i + 1];
                kept++;
            }
        }
        boolean removed = kept < size;
        Arrays.fill(entries, 2 * kept, 2 * size, null);
        size = kept;
        return removed;
    }

    @Override
    public @Nullable CharSequence get(CharSequence name) {
        int index = indexOf(name);
        return index < 0 ? null : entries[2 * index + 1];
    }

    @Override
    public CharSequence get(CharSequence name, CharSequence defaultValue) {
        CharSequence value = get(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public List<CharSequence> getAll(CharSequence name) {
        List<CharSequence> values = null;
        for (int i = 0; i < size; i++) {
            if (AsciiString.contentEquals(entries[2 * i], name)) {
                if (values == null) {
                    values = new ArrayList<>(2);
                }
                values.add(entries[2 * i + 1]);
            }
        }
        return values == null ? Collections.emptyList() : values;
    }

    @Override
    public boolean contains(CharSequence name) {
        return indexOf(name) >= 0;
    }

    @Override
    public boolean contains(CharSequence name, CharSequence value) {
        return contains(name, value, false);
    }

    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean caseInsensitive) {
        for (int i = 0; i < size; i++) {
            if (AsciiString.contentEquals(entries[2 * i], name) && (caseInsensitive
                    ? AsciiString.contentEqualsIgnoreCase(entries[2 * i + 1], value)
                    : AsciiString.contentEquals(entries[2 * i + 1], value))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public Set<CharSequence> names() {
        Set<CharSequence> names = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            names.add(entries[2 * i]);
        }
        return names;
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Map.Entry<CharSequence, CharSequence> next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return new AbstractMap.SimpleImmutableEntry<>(entries[2 * i], entries[2 * i + 1]);
            }
        };
    }

    @Override
    public Iterator<CharSequence> valueIterator(CharSequence name) {
        return getAll(name).iterator();
    }

    @Override
    public Http2Headers method(CharSequence value) {
        return set(PseudoHeaderName.METHOD.value(), value);
    }

    @Override
    public Http2Headers scheme(CharSequence value) {
        return set(PseudoHeaderName.SCHEME.value(), value);
    }

    @Override
    public Http2Headers authority(CharSequence value) {
        return set(PseudoHeaderName.AUTHORITY.value(), value);
    }

    @Override
    public Http2Headers path(CharSequence value) {
        return set(PseudoHeaderName.PATH.value(), value);
    }

    @Override
    public Http2Headers status(CharSequence value) {
        return set(STATUS, value);
    }

    @Override
    public @Nullable CharSequence method() {
        return get(PseudoHeaderName.METHOD.value());
    }

    @Override
    public @Nullable CharSequence scheme() {
        return get(PseudoHeaderName.SCHEME.value());
    }

    @Override
    public @Nullable CharSequence authority() {
        return get(PseudoHeaderName.AUTHORITY.value());
    }

    @Override
    public @Nullable CharSequence path() {
        return get(PseudoHeaderName.PATH.value());
    }

    @Override
    public @Nullable CharSequence status() {
        return get(STATUS);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ResponseHeaders[");
        for (int i = 0; i < size; i++) {
            text.append(i == 0 ? "" : ", ").append(entries[2 * i]).append(": ").append(entries[2 * i + 1]);
        }
        return text.append(']').toString();
    }

    private int indexOf(CharSequence name) {
        for (int i = 0; i < size; i++) {
            CharSequence candidate = entries[2 * i];
            // HPACK hands out its static table's name instances, so identity often decides.
            if (candidate == name || AsciiString.contentEquals(candidate, name)) {
                return i;
            }
        }
        return -1;
    }
}
