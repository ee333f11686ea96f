package dev.lbchannel.balancer.ringhash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * XXH64, the 64-bit xxHash of Yann Collet's reference (github.com/Cyan4973/xxHash), which gRFC
 * A42 names for ring hashing: endpoints' ring positions and requests' hashes, with seed 0, so
 * the same key lands where gRPC's and Envoy's rings put it. Written from the algorithm's
 * description; its tests check the reference's published vectors. Stateless; a hash reads the
 * input once and allocates nothing. Public for {@code random_subsetting}, whose rendezvous
 * hashing (gRFC A68) uses the same function with a per-client seed.
 */
public final class XxHash64 {

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    /** The input is read little-endian, as the reference defines it, whatever the platform. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private XxHash64() {
    }

    /** XXH64 of all of {@code input} with seed 0, as A42 uses it. */
    static long hash(byte[] input) {
        return hash(input, 0, input.length, 0);
    }

    /** XXH64 of {@code length} bytes of {@code input} from {@code offset}, with {@code seed}. */
    public static long hash(byte[] input, int offset, int length, long seed) {
        Objects.checkFromIndexSize(offset, length, input.length);
        int p = offset;
        int end = offset + length;
        long h;
        if (length >= 32) {
            long v1 = seed + P1 + P2;
            long v2 = seed + P2;
            long v3 = seed;
            long v4 = seed - P1;
            for (int limit = end - 32; p <= limit; p += 32) {
                v1 = round(v1, (long) LONGS.get(input, p));
                v2 = round(v2, (long) LONGS.get(input, p + 8));
                v3 = round(v3, (long) LONGS.get(input, p + 16));
                v4 = round(v4, (long) LONGS.get(input, p + 24));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = seed + P5;
        }
        h += length;
        for (; p + 8 <= end; p += 8) {
            h ^= round(0, (long) LONGS.get(input, p));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (p + 4 <= end) {
            h ^= ((int) INTS.get(input, p) & 0xFFFF_FFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            p += 4;
        }
        for (; p < end; p++) {
            h ^= (input[p] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        return avalanche(h);
    }

    private static long round(long accumulator, long lane) {
        return Long.rotateLeft(accumulator + lane * P2, 31) * P1;
    }

    private static long merge(long h, long accumulator) {
        return (h ^ round(0, accumulator)) * P1 + P4;
    }

    private static long avalanche(long h) {
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        return h ^ (h >>> 32);
    }
}
