package dev.lbchannel.demo.web;

import java.util.List;

/** A request named a backend id that does not exist; the message lists the ids that do. */
final class UnknownBackendException extends RuntimeException {

    UnknownBackendException(int id, List<Integer> known) {
        super("No backend " + id + "; backends are " + known);
    }
}
