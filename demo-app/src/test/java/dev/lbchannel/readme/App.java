package dev.lbchannel.readme;

import dev.lbchannel.boot.ImportLbChannelStubs;
import dev.lbchannel.demo.v1.GreeterGrpc;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The README's quick-start application class, as written there. */
@SpringBootApplication
@ImportLbChannelStubs(channel = "greeter", value = GreeterGrpc.GreeterBlockingStub.class)
class App { }
