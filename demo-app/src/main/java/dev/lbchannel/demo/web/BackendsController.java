package dev.lbchannel.demo.web;

import dev.lbchannel.demo.backend.Backends;
import dev.lbchannel.demo.backend.GreeterBackend;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * {@code GET /backends} lists the backends; {@code POST /backends/{id}/stop} and
 * {@code /start} stop one (closing its connections at once) or start it again on its port, and
 * answer with its new state. An unknown id is 404.
 */
@RestController
class BackendsController {

    private static final Log logger = LogFactory.getLog(BackendsController.class);

    private final Backends backends;

    BackendsController(Backends backends) {
        this.backends = backends;
    }

    @GetMapping("/backends")
    List<BackendState> list() {
        return backends.all().stream().map(BackendState::of).toList();
    }

    @PostMapping("/backends/{id}/stop")
    BackendState stop(@PathVariable int id) {
        GreeterBackend backend = find(id);
        backend.stop();
        logger.info("Backend " + id + " stopped; its clients saw the connections close");
        return BackendState.of(backend);
    }

    @PostMapping("/backends/{id}/start")
    BackendState start(@PathVariable int id) {
        GreeterBackend backend = find(id);
        backend.start();
        logger.info("Backend " + id + " started again on port " + backend.port() + "; clients reconnect after their backoff");
        return BackendState.of(backend);
    }

    private GreeterBackend find(int id) {
        return backends.find(id).orElseThrow(() -> new UnknownBackendException(id,
                backends.all().stream().map(GreeterBackend::id).toList()));
    }
}
