package dev.lbchannel.reliability;

import dev.lbchannel.testing.RawHttp2Server;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * One scripted answer that breaks gRPC's or HTTP/2's rules, and the status a client must give
 * the application for it (gRPC's http-grpc-status-mapping and PROTOCOL-HTTP2 documents).
 *
 * @param name what the server does, as the test's display name
 * @param script the server's answer to the call
 * @param expected the status code the call must end with
 * @param description a fragment the status description must contain, or {@code null}
 * @param scope whether the connection must survive the case
 * @param grpcJava the code grpc-java's client gives where it departs from the documents, else
 *     {@code null}; the table says why next to the case
 */
record MalformedResponse(String name, RawHttp2Server.Script script, Status.Code expected,
        @Nullable String description, Scope scope, Status.@Nullable Code grpcJava) {

    /** What the fault breaks: one stream (the connection must carry the next call) or the connection. */
    enum Scope {
        STREAM,
        CONNECTION
    }

    static MalformedResponse stream(String name, Status.Code expected, RawHttp2Server.Script script) {
        return new MalformedResponse(name, script, expected, null, Scope.STREAM, null);
    }

    static MalformedResponse connection(String name, Status.Code expected, RawHttp2Server.Script script) {
        return new MalformedResponse(name, script, expected, null, Scope.CONNECTION, null);
    }

    /** The same case, its status description also required to contain {@code fragment}. */
    MalformedResponse saying(String fragment) {
        return new MalformedResponse(name, script, expected, fragment, scope, grpcJava);
    }

    /** The same case, where grpc-java's client is known to give {@code code} instead. */
    MalformedResponse grpcJavaGives(Status.Code code) {
        return new MalformedResponse(name, script, expected, description, scope, code);
    }

    /** The code {@code client} must end the call with. */
    Status.Code expectedOf(boolean grpcJavaClient) {
        return grpcJavaClient && grpcJava != null ? grpcJava : expected;
    }

    @Override
    public String toString() {
        return name;
    }
}
