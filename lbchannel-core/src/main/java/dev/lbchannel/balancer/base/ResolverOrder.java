package dev.lbchannel.balancer.base;

import java.util.Arrays;

/**
 * A base balancer's children in resolver order, the order its READY pickers list them in. A
 * whole-list update rewrites it in place; a change applied alone leaves a hole where a child
 * went and appends a new one at the end, and the holes are closed once they are half the slots,
 * so each change costs O(1) amortised. The array is reused across updates. Confined to the
 * balancer's serializer.
 */
final class ResolverOrder {

    private BalancerChild[] slots = new BalancerChild[0];
    private int count;
    private int holes;

    /** Starts a whole-list rewrite of up to {@code size} children. */
    void beginRewrite(int size) {
        if (slots.length < size) {
            slots = Arrays.copyOf(slots, Math.max(size, slots.length * 2));
        }
    }

    /** Puts {@code child} at {@code index} of the rewrite, which goes in order from 0. */
    void rewrite(int index, BalancerChild child) {
        child.orderIndex = index;
        slots[index] = child;
    }

    /** Ends the rewrite at {@code size} children, dropping what is left of the old order. */
    void endRewrite(int size) {
        Arrays.fill(slots, size, Math.max(size, count), null);
        count = size;
        holes = 0;
    }

    void append(BalancerChild child) {
        if (count == slots.length) {
            slots = Arrays.copyOf(slots, Math.max(16, slots.length * 2));
        }
        child.orderIndex = count;
        slots[count++] = child;
    }

    void remove(BalancerChild child) {
        slots[child.orderIndex] = null;
        if (++holes > count / 2) {
            compact();
        }
    }

    /** How many slots to look at, holes included. */
    int slotCount() {
        return count;
    }

    /** The child at {@code slot}, or {@code null} for a hole. */
    BalancerChild at(int slot) {
        return slots[slot];
    }

    void clear() {
        Arrays.fill(slots, null);
        count = 0;
        holes = 0;
    }

    /** Closes the holes; the order of the rest is unchanged. */
    private void compact() {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            BalancerChild child = slots[i];
            if (child != null) {
                child.orderIndex = kept;
                slots[kept++] = child;
            }
        }
        Arrays.fill(slots, kept, count, null);
        count = kept;
        holes = 0;
    }
}
