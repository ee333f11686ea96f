package dev.lbchannel.health;

import dev.lbchannel.protowire.WireReader;
import dev.lbchannel.protowire.WireWriter;

/**
 * The protobuf wire form of the two {@code grpc.health.v1} messages, by hand:
 * {@code HealthCheckRequest { string service = 1; }} and
 * {@code HealthCheckResponse { ServingStatus status = 1; }}. Keeps protobuf-java out of core's
 * runtime dependencies; proven byte for byte against grpc-java's generated messages in tests.
 * Stateless.
 */
public final class HealthMessages {

    private static final int SERVICE_FIELD = 1;
    private static final int STATUS_FIELD = 1;

    private HealthMessages() {
    }

    /**
     * A {@code HealthCheckRequest} for {@code service}. The empty name (the server's overall
     * health) is the empty message, as proto3 leaves out a field at its default.
     */
    public static byte[] request(String service) {
        return service.isEmpty() ? new byte[0] : new WireWriter().stringField(SERVICE_FIELD, service).toByteArray();
    }

    /**
     * The status of a {@code HealthCheckResponse}. Unknown fields are skipped; of repeated status
     * fields the last wins, as protobuf parsers do; an absent status is {@code UNKNOWN}.
     *
     * @throws IllegalArgumentException when the bytes are not a valid message
     */
    public static ServingStatus responseStatus(byte[] message) {
        WireReader in = new WireReader(message, "Health response");
        int status = 0;
        while (in.hasMore()) {
            int field = in.nextField();
            if (field == STATUS_FIELD && in.wireType() == WireReader.VARINT) {
                status = (int) in.varint();   // an enum is an int32; negative ones come as 10 bytes
            } else {
                in.skip();
            }
        }
        return ServingStatus.forNumber(status);
    }
}
