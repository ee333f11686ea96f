package dev.lbchannel.demo.web;

import dev.lbchannel.demo.backend.GreeterBackend;

/**
 * A backend as {@code /backends} shows it.
 *
 * @param id the backend's id
 * @param port its loopback port
 * @param address what clients dial, as channelz prints it ({@code 127.0.0.1:port})
 * @param running whether it serves now
 */
record BackendState(int id, int port, String address, boolean running) {

    static BackendState of(GreeterBackend backend) {
        int port = backend.port();
        return new BackendState(backend.id(), port, backend.address().getAddress().getHostAddress() + ":" + port,
                backend.isRunning());
    }
}
