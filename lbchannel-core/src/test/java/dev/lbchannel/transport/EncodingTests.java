package dev.lbchannel.transport;

import io.grpc.Codec;
import io.grpc.StatusRuntimeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stateless codecs: grpc-timeout, message framing, status mapping. */
@Timeout(10)
class EncodingTests {

    @Test
    void grpcTimeoutUsesTheFinestUnitThatFitsEightDigits() {
        assertThat(GrpcTimeout.encode(0).toString()).isEqualTo("1n");
        assertThat(GrpcTimeout.encode(99_999_999).toString()).isEqualTo("99999999n");
        assertThat(GrpcTimeout.encode(100_000_000).toString()).isEqualTo("100000u");
        assertThat(GrpcTimeout.encode(30_000_000_000L).toString()).isEqualTo("30000000u");
        assertThat(GrpcTimeout.encode(3_600_000_000_000_000L).toString()).isEqualTo("3600000S");
        assertThat(GrpcTimeout.encode(600_000_000_000_000_000L).toString()).isEqualTo("10000000M");
        assertThat(GrpcTimeout.encode(Long.MAX_VALUE).toString()).endsWith("H");
        assertThat(GrpcTimeout.encode(Long.MAX_VALUE).length()).isLessThanOrEqualTo(9);
    }

    @Test
    void framerWritesFlagAndLength() {
        ByteBuf frame = MessageFramer.frame(ByteBufAllocator.DEFAULT, new ByteArrayInputStream(new byte[] {9, 8, 7}),
                null, 100);
        try {
            assertThat(frame.readableBytes()).isEqualTo(8);
            assertThat(frame.getByte(0)).isEqualTo((byte) 0);
            assertThat(frame.getInt(1)).isEqualTo(3);
        } finally {
            frame.release();
        }
    }

    @Test
    void framerCompressesAndSetsTheFlag() {
        ByteBuf frame = MessageFramer.frame(ByteBufAllocator.DEFAULT, new ByteArrayInputStream(new byte[10_000]),
                new Codec.Gzip(), Integer.MAX_VALUE);
        try {
            assertThat(frame.getByte(0)).isEqualTo((byte) 1);
            assertThat(frame.getInt(1)).isEqualTo(frame.readableBytes() - 5).isLessThan(10_000);
        } finally {
            frame.release();
        }
    }

    @Test
    void framerRejectsOversizedMessages() {
        assertThatThrownBy(() -> MessageFramer.frame(ByteBufAllocator.DEFAULT,
                new ByteArrayInputStream(new byte[101]), null, 100))
                .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("RESOURCE_EXHAUSTED");
    }

    @Test
    void httpStatusesMapPerTheMappingDoc() {
        assertThat(ResponseStatus.fromHttpStatus(400).getCode().name()).isEqualTo("INTERNAL");
        assertThat(ResponseStatus.fromHttpStatus(401).getCode().name()).isEqualTo("UNAUTHENTICATED");
        assertThat(ResponseStatus.fromHttpStatus(403).getCode().name()).isEqualTo("PERMISSION_DENIED");
        assertThat(ResponseStatus.fromHttpStatus(404).getCode().name()).isEqualTo("UNIMPLEMENTED");
        assertThat(ResponseStatus.fromHttpStatus(429).getCode().name()).isEqualTo("UNAVAILABLE");
        assertThat(ResponseStatus.fromHttpStatus(502).getCode().name()).isEqualTo("UNAVAILABLE");
        assertThat(ResponseStatus.fromHttpStatus(504).getCode().name()).isEqualTo("UNAVAILABLE");
        assertThat(ResponseStatus.fromHttpStatus(500).getCode().name()).isEqualTo("UNKNOWN");
    }

    @Test
    void resetCodesMapPerTheMappingDoc() {
        assertThat(ResponseStatus.fromRstStream(0x0).getCode().name()).isEqualTo("INTERNAL");
        assertThat(ResponseStatus.fromRstStream(0x7).getCode().name()).isEqualTo("UNAVAILABLE");
        assertThat(ResponseStatus.fromRstStream(0x8).getCode().name()).isEqualTo("CANCELLED");
        assertThat(ResponseStatus.fromRstStream(0xb).getCode().name()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(ResponseStatus.fromRstStream(0xc).getCode().name()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void grpcMessageIsPercentDecodedLeniently() {
        assertThat(ResponseStatus.percentDecode("a%20b%e2%82%ACc%")).isEqualTo("a b\u20acc%");
    }
}
