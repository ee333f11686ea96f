package dev.lbchannel.demo.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The JSON body of every error the demo's endpoints answer.
 *
 * @param error what went wrong, in a sentence
 * @param grpcStatus the gRPC status code's name, when a call failed
 * @param description the status description, when it has one
 * @param channel the channel of the failed call
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ApiError(String error, @Nullable String grpcStatus, @Nullable String description, @Nullable String channel) {

    static ApiError of(String error) {
        return new ApiError(error, null, null, null);
    }
}
