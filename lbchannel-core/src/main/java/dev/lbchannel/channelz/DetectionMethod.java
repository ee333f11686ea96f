package dev.lbchannel.channelz;

/** How outlier detection found an outlier (gRFC A50's two algorithms; A91's detection_method label). */
public enum DetectionMethod {

    /** Its success rate fell below the mean by more than the configured standard deviations. */
    SUCCESS_RATE("success_rate"),

    /** Its failure percentage exceeded the configured threshold. */
    FAILURE_PERCENTAGE("failure_percentage");

    private final String label;

    DetectionMethod(String label) {
        this.label = label;
    }

    /** The name gRFC A91 gives it, such as {@code success_rate}. */
    public String label() {
        return label;
    }
}
