package dev.lbchannel.balancer.ringhash;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * XXH64 against the reference's published vectors: the sanity check of its {@code xxhsum} (a
 * 101-byte generated buffer, prefixes of it, seeds 0 and 2654435761) and well-known strings with
 * seed 0. Between them they take every path: under 4 bytes, the 4- and 8-byte tails, and the
 * 32-byte stripes.
 */
@Timeout(10)
class XxHash64Tests {

    private static final long PRIME32 = 2654435761L;

    /** The reference's sanity buffer: each byte the top byte of a 32-bit value squared in turn. */
    private static byte[] sanityBuffer() {
        byte[] buffer = new byte[101];
        int generator = (int) PRIME32;
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = (byte) (generator >>> 24);
            generator *= generator;
        }
        return buffer;
    }

    @ParameterizedTest
    @CsvSource({
            "0,   0,          EF46DB3751D8E999",
            "0,   2654435761, AC75FDA2929B17EF",
            "1,   0,          4FCE394CC88952D8",
            "1,   2654435761, 739840CB819FA723",
            "14,  0,          CFFA8DB881BC3A3D",
            "14,  2654435761, 5B9611585EFCC9CB",
            "101, 0,          0EAB543384F878AD",
            "101, 2654435761, CAA65939306F1E21"})
    void theReferencesSanityVectors(int length, long seed, String expected) {
        assertThat(XxHash64.hash(sanityBuffer(), 0, length, seed)).isEqualTo(Long.parseUnsignedLong(expected, 16));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a                                       | D24EC4F1A98C6E5B",
            "abc                                     | 44BC2CF5AD770999",
            "Nobody inspects the spammish repetition | FBCEA83C8A378BF1"})
    void wellKnownStringsWithSeedZero(String input, String expected) {
        assertThat(XxHash64.hash(input.getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(Long.parseUnsignedLong(expected, 16));
    }

    @Test
    void anOffsetHashesOnlyItsSlice() {
        byte[] padded = "xxabcxx".getBytes(StandardCharsets.US_ASCII);
        assertThat(XxHash64.hash(padded, 2, 3, 0)).isEqualTo(0x44BC2CF5AD770999L);
    }

    @Test
    void theSeedMatters() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(XxHash64.hash(abc, 0, 3, 1)).isNotEqualTo(XxHash64.hash(abc));
    }
}
