package dev.lbchannel.health;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written health codec, byte for byte against grpc-java's generated {@code grpc.health.v1} messages. */
@Timeout(30)
class HealthMessagesTests {

    @ParameterizedTest
    @ValueSource(strings = {"", "orders.v1.Orders", "grpc.health.v1.Health", "ünïcödé/ä", "x"})
    void requestIsWhatGrpcJavaWrites(String service) throws Exception {
        byte[] ours = HealthMessages.request(service);

        assertThat(ours).isEqualTo(HealthCheckRequest.newBuilder().setService(service).build().toByteArray());
        assertThat(HealthCheckRequest.parseFrom(ours).getService()).isEqualTo(service);
    }

    @Test
    void longServiceNamesTakeAMultiByteLength() throws Exception {
        String service = "s".repeat(300);

        assertThat(HealthMessages.request(service))
                .isEqualTo(HealthCheckRequest.newBuilder().setService(service).build().toByteArray());
    }

    @ParameterizedTest
    @EnumSource(value = ServingStatus.class, names = "UNRECOGNIZED", mode = EnumSource.Mode.EXCLUDE)
    void readsEveryStatusGrpcJavaWrites(ServingStatus status) {
        byte[] wire = HealthCheckResponse.newBuilder().setStatus(status).build().toByteArray();

        assertThat(HealthMessages.responseStatus(wire).number()).isEqualTo(status.getNumber());
        assertThat(HealthMessages.responseStatus(wire).name()).isEqualTo(status.name());
    }

    @Test
    void unknownNumbersAreUnrecognizedAsGrpcJavaReadsThem() throws Exception {
        for (int number : new int[] {4, 99, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            byte[] wire = HealthCheckResponse.newBuilder().setStatusValue(number).build().toByteArray();

            assertThat(HealthCheckResponse.parseFrom(wire).getStatus()).isEqualTo(ServingStatus.UNRECOGNIZED);
            assertThat(HealthMessages.responseStatus(wire)).as("status %d", number)
                    .isEqualTo(dev.lbchannel.health.ServingStatus.UNRECOGNIZED);
        }
    }

    @Test
    void unknownFieldsOfEveryWireTypeAreSkipped() {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(2, UnknownFieldSet.Field.newBuilder().addVarint(1L << 40).build())
                .addField(3, UnknownFieldSet.Field.newBuilder().addFixed64(7).build())
                .addField(4, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("later")).build())
                .addField(5, UnknownFieldSet.Field.newBuilder().addFixed32(9).build())
                .build();
        byte[] wire = HealthCheckResponse.newBuilder().setStatus(ServingStatus.NOT_SERVING)
                .setUnknownFields(unknown).build().toByteArray();

        assertThat(HealthMessages.responseStatus(wire)).isEqualTo(dev.lbchannel.health.ServingStatus.NOT_SERVING);
    }

    @Test
    void theLastStatusWinsAndAnAbsentOneIsUnknown() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeEnum(1, ServingStatus.NOT_SERVING.getNumber());
        out.writeEnum(1, ServingStatus.SERVING.getNumber());
        out.flush();

        assertThat(HealthCheckResponse.parseFrom(bytes.toByteArray()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(HealthMessages.responseStatus(bytes.toByteArray())).isEqualTo(dev.lbchannel.health.ServingStatus.SERVING);
        assertThat(HealthMessages.responseStatus(new byte[0])).isEqualTo(dev.lbchannel.health.ServingStatus.UNKNOWN);
    }

    @Test
    void malformedResponsesAreRejected() {
        byte[][] malformed = {
                {0x08},                                   // status tag without its value
                {0x08, (byte) 0x80},                      // varint cut short
                {0x22, 0x05, 0x01},                       // length-delimited field longer than the message
                {0x0b},                                   // group start (wire type 3)
                {0x00, 0x01},                             // field number 0
                {0x08, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01}, // varint of 11 bytes
        };
        for (byte[] bytes : malformed) {
            assertThatThrownBy(() -> HealthMessages.responseStatus(bytes)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
