package dev.lbchannel.transport.hpack;

import io.netty.util.AsciiString;

import java.util.Arrays;

/**
 * One side's HPACK dynamic table (RFC 7541 §2.3.2, §4): entries newest first, each costing its
 * name's and value's lengths plus 32 against a capacity, the oldest evicted to make room. The
 * entries sit in a ring of two arrays that starts empty and doubles as entries arrive, so a
 * connection whose peer indexes four headers keeps room for eight, not for the 128 a full
 * 4,096-byte table could hold.
 *
 * <p>Not thread-safe: one connection's encoder or decoder uses it, on the event loop.
 */
final class DynamicTable {

    /** RFC 7541 §4.1: an entry's size is its name's and value's octets plus this. */
    static final int ENTRY_OVERHEAD = 32;
    private static final AsciiString[] NONE = {};

    private AsciiString[] names = NONE;
    private AsciiString[] values = NONE;
    /** The slot of the newest entry; entries go back from it, around the ring. */
    private int newest = -1;
    private int length;
    private long size;
    private long capacity;

    DynamicTable(long capacity) {
        this.capacity = capacity;
    }

    static long entrySize(CharSequence name, CharSequence value) {
        return (long) name.length() + value.length() + ENTRY_OVERHEAD;
    }

    /** The number of entries. */
    int length() {
        return length;
    }

    long size() {
        return size;
    }

    long capacity() {
        return capacity;
    }

    /** The name of entry {@code index}, 1 being the newest. */
    AsciiString name(int index) {
        return names[slot(index)];
    }

    /** The value of entry {@code index}, 1 being the newest. */
    AsciiString value(int index) {
        return values[slot(index)];
    }

    /**
     * Adds an entry as the newest, evicting the oldest until it fits; an entry larger than the
     * whole capacity empties the table and is not added (§4.4).
     */
    void add(AsciiString name, AsciiString value) {
        long entrySize = entrySize(name, value);
        if (entrySize > capacity) {
            clear();
            return;
        }
        while (size + entrySize > capacity) {
            evictOldest();
        }
        if (length == names.length) {
            grow();
        }
        newest = (newest + 1) % names.length;
        names[newest] = name;
        values[newest] = value;
        length++;
        size += entrySize;
    }

    /** Sets the capacity (a size update, or the peer's new limit), evicting what no longer fits. */
    void capacity(long capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
        }
        this.capacity = capacity;
        while (size > capacity) {
            evictOldest();
        }
    }

    private void evictOldest() {
        int oldest = slot(length);
        size -= entrySize(names[oldest], values[oldest]);
        names[oldest] = null;
        values[oldest] = null;
        length--;
    }

    private void clear() {
        Arrays.fill(names, null);
        Arrays.fill(values, null);
        length = 0;
        size = 0;
        newest = -1;
    }

    /** Doubles the ring (from 4 slots), unrolling it so that the oldest entry lands in slot 0. */
    private void grow() {
        int newLength = Math.max(4, names.length * 2);
        AsciiString[] newNames = new AsciiString[newLength];
        AsciiString[] newValues = new AsciiString[newLength];
        for (int index = length, to = 0; index >= 1; index--, to++) {
            newNames[to] = name(index);
            newValues[to] = value(index);
        }
        names = newNames;
        values = newValues;
        newest = length - 1;
    }

    private int slot(int index) {
        int slot = newest - (index - 1);
        return slot < 0 ? slot + names.length : slot;
    }
}
