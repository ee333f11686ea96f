package dev.lbchannel.demo.backend;

import dev.lbchannel.demo.v1.GreeterGrpc;
import dev.lbchannel.demo.v1.HelloReply;
import dev.lbchannel.demo.v1.HelloRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The greeter one backend serves: it signs every reply with the backend's id, which is how the
 * demo shows where each call went. A blank name is refused with {@code INVALID_ARGUMENT}, so the
 * demo also has a gRPC error to show. Stateless apart from the id; thread-safe.
 */
final class GreeterService extends GreeterGrpc.GreeterImplBase {

    private final int backendId;

    GreeterService(int backendId) {
        this.backendId = backendId;
    }

    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloReply> responses) {
        String name = request.getName().strip();
        if (name.isEmpty()) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription("name must not be blank").asRuntimeException());
            return;
        }
        responses.onNext(HelloReply.newBuilder()
                .setMessage("Hello, " + name + "! (from backend " + backendId + ")")
                .setBackendId(backendId)
                .build());
        responses.onCompleted();
    }
}
