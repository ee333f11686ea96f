package dev.lbchannel.demo.web;

import dev.lbchannel.demo.client.GreeterClient;
import dev.lbchannel.demo.client.Greeting;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /hello?name=X&channel=round-robin|pick-first}: one greeting through the chosen
 * channel, answered with the backend that served it. Failures are {@link ApiErrors}' business.
 */
@RestController
class HelloController {

    static final String DEFAULT_CHANNEL = "round-robin";

    private final GreeterClient client;

    HelloController(GreeterClient client) {
        this.client = client;
    }

    /** No {@code name} greets the world; an empty one goes to the backend, which refuses it. */
    @GetMapping("/hello")
    Greeting hello(@RequestParam(required = false) @Nullable String name,
            @RequestParam(defaultValue = DEFAULT_CHANNEL) String channel) {
        return client.greet(channel, name == null ? "world" : name);
    }
}
