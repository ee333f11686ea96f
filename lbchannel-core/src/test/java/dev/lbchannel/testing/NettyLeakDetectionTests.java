package dev.lbchannel.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class NettyLeakDetectionTests {

    @Test
    void reportsABufferThatWasNeverReleased() {
        leakOneBuffer();

        List<String> leaks = NettyLeakDetection.collectLeaks();

        assertThat(leaks).isNotEmpty();
        assertThat(leaks.get(0)).contains("LEAK").contains("leakOneBuffer");
    }

    @Test
    void reportsNothingWhenBuffersAreReleased() {
        ByteBuf buf = UnpooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(1);
        buf.release();

        assertThat(NettyLeakDetection.collectLeaks()).isEmpty();
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = UnpooledByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeLong(42);
        leaked.touch("leakOneBuffer");
    }
}
