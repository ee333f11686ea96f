package dev.lbchannel.config;

import io.grpc.Status;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the status-code lists of retry and hedging policies: each code by its name in any case
 * ({@code "UNAVAILABLE"}, {@code "unavailable"}) or its number ({@code 14}), as gRFC A6 allows.
 * Stateless.
 */
final class StatusCodes {

    private StatusCodes() {
    }

    /** The codes of a JSON array; an unknown name or number is an error naming its index. */
    static Set<Status.Code> parse(ConfigNode array) {
        List<ConfigNode> elements = array.elements();
        EnumSet<Status.Code> codes = EnumSet.noneOf(Status.Code.class);
        for (ConfigNode element : elements) {
            codes.add(parseOne(element));
        }
        return Collections.unmodifiableSet(codes);
    }

    private static Status.Code parseOne(ConfigNode node) {
        Object value = node.value();
        if (value instanceof String name) {
            try {
                return Status.Code.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw node.invalid("must be a gRPC status code name or number");
            }
        }
        if (value instanceof Double number) {
            double d = number;
            if (d == Math.rint(d) && d >= 0 && d < Status.Code.values().length) {
                return Status.fromCodeValue((int) d).getCode();
            }
        }
        throw node.invalid("must be a gRPC status code name or number");
    }

    static Set<Status.Code> immutableCopy(Collection<Status.Code> codes) {
        EnumSet<Status.Code> copy = EnumSet.noneOf(Status.Code.class);
        copy.addAll(codes);
        return Collections.unmodifiableSet(copy);
    }
}
