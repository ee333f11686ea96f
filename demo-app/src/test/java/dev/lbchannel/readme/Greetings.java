package dev.lbchannel.readme;

import dev.lbchannel.demo.v1.GreeterGrpc;
import dev.lbchannel.demo.v1.HelloRequest;
import org.springframework.stereotype.Service;

/** The README's quick-start service, as written there. */
@Service
class Greetings {
    private final GreeterGrpc.GreeterBlockingStub greeter;

    Greetings(GreeterGrpc.GreeterBlockingStub greeter) {
        this.greeter = greeter;
    }

    String hello(String name) {
        return greeter.sayHello(HelloRequest.newBuilder().setName(name).build()).getMessage();
    }
}
