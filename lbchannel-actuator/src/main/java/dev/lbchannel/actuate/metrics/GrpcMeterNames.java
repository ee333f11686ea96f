package dev.lbchannel.actuate.metrics;

/**
 * Every meter and tag name this package registers, in one place. Call meters follow gRFC A66,
 * and gRFC A96 for retries; {@code grpc.subchannel.*} meters follow gRFC A94; outlier detection's
 * follow gRFC A91; {@code lbchannel.subchannels} is ours (gRPC defines no per-state subchannel count).
 */
public final class GrpcMeterNames {

    /** Counter: call attempts started (A66). Tags: method, target, channel. */
    public static final String ATTEMPT_STARTED = "grpc.client.attempt.started";

    /** Timer: from attempt start to its end (A66). Tags: method, target, status, channel. */
    public static final String ATTEMPT_DURATION = "grpc.client.attempt.duration";

    /** Distribution summary, bytes: request message bytes an attempt sent, compressed, no framing (A66). */
    public static final String ATTEMPT_SENT_SIZE = "grpc.client.attempt.sent_total_compressed_message_size";

    /** Distribution summary, bytes: response message bytes an attempt received, compressed, no framing (A66). */
    public static final String ATTEMPT_RCVD_SIZE = "grpc.client.attempt.rcvd_total_compressed_message_size";

    /** Timer: from call creation to its end, as the application sees it (A66). Tags: method, target, status, channel. */
    public static final String CALL_DURATION = "grpc.client.call.duration";

    /**
     * Distribution summary: retries of a call, recorded when it closes and only if it made any
     * (A96). Tags: method, target, channel; no status.
     */
    public static final String CALL_RETRIES = "grpc.client.call.retries";

    /** Distribution summary: transparent retries of a call, recorded only if it made any (A96). Tags as retries'. */
    public static final String CALL_TRANSPARENT_RETRIES = "grpc.client.call.transparent_retries";

    /** Distribution summary: a call's hedged attempts besides its first, only if any (A96). Tags as retries'. */
    public static final String CALL_HEDGES = "grpc.client.call.hedges";

    /**
     * Timer: the time a call had no attempt in flight between its first attempt and its last,
     * recorded only for calls with more than one attempt of any kind (A96). Tags as retries'.
     */
    public static final String CALL_RETRY_DELAY = "grpc.client.call.retry_delay";

    /** Gauge: subchannels of a channel in one connectivity state. Tags: channel, target, state. */
    public static final String SUBCHANNELS = "lbchannel.subchannels";

    /** Gauge: open connections of a channel's subchannels (A94). Tags: channel, target. */
    public static final String OPEN_CONNECTIONS = "grpc.subchannel.open_connections";

    /** Function counter: a channel's connection attempts that became READY (A94). Tags: channel, target. */
    public static final String CONNECTION_ATTEMPTS_SUCCEEDED = "grpc.subchannel.connection_attempts_succeeded";

    /** Function counter: a channel's connection attempts that failed, one per address tried (A94). Tags: channel, target. */
    public static final String CONNECTION_ATTEMPTS_FAILED = "grpc.subchannel.connection_attempts_failed";

    /** Function counter: READY connections of a channel that were lost (A94). Tags: channel, target. */
    public static final String DISCONNECTIONS = "grpc.subchannel.disconnections";

    /** Function counter: endpoints outlier detection ejected (A91). Tags: channel, target, detection method. */
    public static final String OUTLIER_EJECTIONS_ENFORCED = "grpc.lb.outlier_detection.ejections_enforced";

    /**
     * Function counter: outliers detected but left in service (A91). Tags: channel, target,
     * detection method, unenforced reason.
     */
    public static final String OUTLIER_EJECTIONS_UNENFORCED = "grpc.lb.outlier_detection.ejections_unenforced";

    /**
     * Function counter: weight updates of {@code weighted_round_robin} with fewer than two weighted
     * endpoints, so it picked as round_robin (A78). Tags: channel, target.
     */
    public static final String WRR_RR_FALLBACK = "grpc.lb.wrr.rr_fallback";

    /**
     * Function counter: endpoints, summed over weight updates, without a usable weight yet (no report,
     * or in the blackout period; A78). Tags: channel, target.
     */
    public static final String WRR_ENDPOINT_WEIGHT_NOT_YET_USABLE = "grpc.lb.wrr.endpoint_weight_not_yet_usable";

    /**
     * Function counter: endpoints, summed over weight updates, whose last weight was older than the
     * expiration period (A78). Tags: channel, target.
     */
    public static final String WRR_ENDPOINT_WEIGHT_STALE = "grpc.lb.wrr.endpoint_weight_stale";

    /** Tag: {@code success_rate} or {@code failure_percentage} (A91). */
    public static final String DETECTION_METHOD_TAG = "grpc.lb.outlier_detection.detection_method";

    /** Tag: {@code enforcement_percentage} or {@code max_ejection_overflow} (A91). */
    public static final String UNENFORCED_REASON_TAG = "grpc.lb.outlier_detection.unenforced_reason";

    /** Tag: {@code pkg.Service/Method} for generated methods, else {@link #OTHER_METHOD}. */
    public static final String METHOD_TAG = "grpc.method";

    /** Tag: the channel's canonical target, such as {@code dns:///orders.internal:8443}. */
    public static final String TARGET_TAG = "grpc.target";

    /** Tag: the status code's name, such as {@code OK} or {@code UNAVAILABLE}. */
    public static final String STATUS_TAG = "grpc.status";

    /** Tag: the channel's name under {@code lbchannel.channels}. */
    public static final String CHANNEL_TAG = "channel";

    /** Tag: a connectivity state's name, such as {@code READY}. */
    public static final String STATE_TAG = "state";

    /** The {@link #METHOD_TAG} value of methods that are not generated, which keeps the tag bounded. */
    public static final String OTHER_METHOD = "other";

    private GrpcMeterNames() {
    }
}
