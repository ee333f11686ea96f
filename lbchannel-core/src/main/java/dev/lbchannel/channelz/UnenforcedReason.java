package dev.lbchannel.channelz;

/** Why a detected outlier was not ejected (gRFC A91's unenforced_reason label). */
public enum UnenforcedReason {

    /** The roll against the algorithm's {@code enforcementPercentage} said no. */
    ENFORCEMENT_PERCENTAGE("enforcement_percentage"),

    /** {@code maxEjectionPercent} of the endpoints were ejected already. */
    MAX_EJECTION_OVERFLOW("max_ejection_overflow");

    private final String label;

    UnenforcedReason(String label) {
        this.label = label;
    }

    /** The name gRFC A91 gives it, such as {@code enforcement_percentage}. */
    public String label() {
        return label;
    }
}
