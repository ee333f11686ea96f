package dev.lbchannel.health;

/**
 * {@code grpc.health.v1.HealthCheckResponse.ServingStatus}: what a health service says about one
 * service name. Only {@link #SERVING} makes a subchannel usable.
 */
public enum ServingStatus {
    UNKNOWN(0),
    SERVING(1),
    NOT_SERVING(2),
    /** Watch's answer for a service name the server does not know (yet), per A17. */
    SERVICE_UNKNOWN(3),
    /** A number this client does not know, from a newer server: not healthy. */
    UNRECOGNIZED(-1);

    private final int number;

    ServingStatus(int number) {
        this.number = number;
    }

    /** The enum's number on the wire; -1 for {@link #UNRECOGNIZED}. */
    public int number() {
        return number;
    }

    /** The status for a wire number; {@link #UNRECOGNIZED} for a number outside the proto's enum. */
    public static ServingStatus forNumber(int number) {
        return switch (number) {
            case 0 -> UNKNOWN;
            case 1 -> SERVING;
            case 2 -> NOT_SERVING;
            case 3 -> SERVICE_UNKNOWN;
            default -> UNRECOGNIZED;
        };
    }
}
