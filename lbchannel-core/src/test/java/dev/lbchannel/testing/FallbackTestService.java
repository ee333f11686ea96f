package dev.lbchannel.testing;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;

/**
 * The interop TestService's core behaviour, for when grpc-java's {@code TestServiceImpl} cannot
 * load: in grpc-interop-testing 1.79 it needs {@code io.grpc.services.MetricRecorder} from
 * grpc-services, which is not a test dependency yet. Payload sizes, echoed status, response
 * compression and flow-controlled streaming behave as the interop spec says; ORCA and delays are
 * not supported.
 */
final class FallbackTestService extends TestServiceGrpc.TestServiceImplBase {

    @Override
    public void emptyCall(Empty request, StreamObserver<Empty> responses) {
        responses.onNext(Empty.getDefaultInstance());
        responses.onCompleted();
    }

    @Override
    public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
        if (request.getResponseCompressed().getValue()) {
            ((ServerCallStreamObserver<SimpleResponse>) responses).setCompression("gzip");
        }
        if (failWithEcho(request.getResponseStatus(), responses)) {
            return;
        }
        responses.onNext(SimpleResponse.newBuilder().setPayload(payload(request.getResponseSize())).build());
        responses.onCompleted();
    }

    @Override
    public void streamingOutputCall(StreamingOutputCallRequest request,
            StreamObserver<StreamingOutputCallResponse> responses) {
        ServerCallStreamObserver<StreamingOutputCallResponse> observer =
                (ServerCallStreamObserver<StreamingOutputCallResponse>) responses;
        int[] next = {0};
        boolean[] done = {false};
        Runnable drain = () -> {
            while (observer.isReady() && next[0] < request.getResponseParametersCount()) {
                ResponseParameters p = request.getResponseParameters(next[0]++);
                observer.onNext(StreamingOutputCallResponse.newBuilder().setPayload(payload(p.getSize())).build());
            }
            if (next[0] == request.getResponseParametersCount() && !done[0]) {
                done[0] = true;
                if (!failWithEcho(request.getResponseStatus(), observer)) {
                    observer.onCompleted();
                }
            }
        };
        observer.setOnReadyHandler(drain);
        drain.run();
    }

    @Override
    public StreamObserver<StreamingInputCallRequest> streamingInputCall(
            StreamObserver<StreamingInputCallResponse> responses) {
        return new StreamObserver<>() {
            private int total;

            @Override
            public void onNext(StreamingInputCallRequest value) {
                total += value.getPayload().getBody().size();
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                responses.onNext(StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(total).build());
                responses.onCompleted();
            }
        };
    }

    @Override
    public StreamObserver<StreamingOutputCallRequest> fullDuplexCall(
            StreamObserver<StreamingOutputCallResponse> responses) {
        return new StreamObserver<>() {
            private boolean failed;

            @Override
            public void onNext(StreamingOutputCallRequest request) {
                if (failed) {
                    return;
                }
                if (failWithEcho(request.getResponseStatus(), responses)) {
                    failed = true;
                    return;
                }
                for (ResponseParameters p : request.getResponseParametersList()) {
                    responses.onNext(StreamingOutputCallResponse.newBuilder().setPayload(payload(p.getSize())).build());
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                if (!failed) {
                    responses.onCompleted();
                }
            }
        };
    }

    private static boolean failWithEcho(EchoStatus echo, StreamObserver<?> responses) {
        if (echo.getCode() == 0) {
            return false;
        }
        responses.onError(Status.fromCodeValue(echo.getCode()).withDescription(echo.getMessage()).asRuntimeException());
        return true;
    }

    private static Payload payload(int size) {
        return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
    }
}
