package dev.lbchannel.kubernetes;

import dev.lbchannel.target.Target;
import org.jspecify.annotations.Nullable;

import java.util.regex.Pattern;

/**
 * What a {@code kubernetes:///service[.namespace][:port]} target names: the Service, its namespace
 * ({@code null}: the client's), and the port, a number, a name, or neither (then the slices' only
 * port). A number and a name are both matched against the EndpointSlices' ports, which are the
 * pods' ports (a Service's {@code targetPort}), not the Service's own port.
 */
record ServiceTarget(String service, @Nullable String namespace, int portNumber, @Nullable String portName) {

    /** RFC 1123 label: what Kubernetes allows for Service and namespace names. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** IANA service name, as a container port's name: lower case, at most 15 characters, a letter in it. */
    private static final Pattern PORT_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");

    /** No port in the target. */
    static final int ANY_PORT = 0;

    /** @throws IllegalArgumentException naming the target and what is wrong with it */
    static ServiceTarget parse(Target target) {
        String authority = target.authority();
        if (authority != null && !authority.isEmpty()) {
            throw invalid(target, "the client's own cluster is used; write kubernetes:///service.namespace:port");
        }
        String text = target.endpoint();
        String port = null;
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            port = text.substring(colon + 1);
            text = text.substring(0, colon);
        }
        String service = text;
        String namespace = null;
        int dot = text.indexOf('.');
        if (dot >= 0) {
            service = text.substring(0, dot);
            namespace = text.substring(dot + 1);
            if (!DNS_LABEL.matcher(namespace).matches()) {
                throw invalid(target, "'" + namespace + "' is not a namespace name (lower-case letters, digits and '-')");
            }
        }
        if (!DNS_LABEL.matcher(service).matches()) {
            throw invalid(target, "'" + service + "' is not a Service name (lower-case letters, digits and '-')");
        }
        if (port == null) {
            return new ServiceTarget(service, namespace, ANY_PORT, null);
        }
        if (!port.isEmpty() && port.chars().allMatch(Character::isDigit)) {
            int number = port.length() > 5 ? -1 : Integer.parseInt(port);
            if (number < 1 || number > 65535) {
                throw invalid(target, "port " + port + " is out of range 1-65535");
            }
            return new ServiceTarget(service, namespace, number, null);
        }
        if (!PORT_NAME.matcher(port).matches()) {
            throw invalid(target, "'" + port + "' is neither a port number nor a port name (like grpc)");
        }
        return new ServiceTarget(service, namespace, ANY_PORT, port);
    }

    /** The port as written, for messages: {@code 50051}, {@code grpc}, or {@code (the only port)}. */
    String portText() {
        if (portName != null) {
            return portName;
        }
        return portNumber != ANY_PORT ? Integer.toString(portNumber) : "(the only port)";
    }

    private static IllegalArgumentException invalid(Target target, String why) {
        return new IllegalArgumentException("Invalid target '" + target + "': " + why);
    }
}
