package dev.lbchannel.transport;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Says why a TLS handshake failed, in words a user can act on. The engines wrap the reason: the
 * OpenSSL one reports "General OpenSslEngine problem" with the certificate check's own exception
 * as its cause, so the whole cause chain is read; the usual mistakes get a hint naming the
 * setting to change. Never includes key material or certificate contents beyond what the
 * exceptions say about names and validity.
 */
final class TlsFailures {

    private static final String GENERIC = "general opensslengine problem";

    private TlsFailures() {
    }

    /** Whether {@code failure} comes from the TLS engine, somewhere in its cause chain. */
    static boolean isTls(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable failure, String authority) {
        Set<String> messages = new LinkedHashSet<>();
        String hint = null;
        for (Throwable t = failure; t != null && messages.size() < 8; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && !message.toLowerCase(Locale.ROOT).contains(GENERIC)
                    && messages.stream().noneMatch(seen -> seen.contains(message.strip()))) {
                messages.add(message.strip());   // wrappers repeat their cause's message: keep it once
            }
            if (hint == null) {
                hint = hint(t, message == null ? "" : message.toLowerCase(Locale.ROOT), authority);
            }
        }
        String reasons = messages.isEmpty() ? failure.getClass().getSimpleName() : String.join("; ", messages);
        return hint == null ? reasons : hint + " (" + reasons + ")";
    }

    private static String hint(Throwable t, String message, String authority) {
        if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
                || message.contains("validity check failed") || message.contains("certificate expired")) {
            return "the server's certificate is expired or not yet valid";
        }
        if (message.contains("subject alternative") || message.contains("hostname") || message.contains("no name matching")) {
            return "the server's certificate does not cover '" + host(authority) + "'; connect by a name it covers, or set"
                    + " the channel's authority to one";
        }
        if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException
                || message.contains("unable to find valid certification path") || message.contains("unknown_ca")) {
            return "the server's certificate is not issued by a CA the channel trusts; add its CA to the channel's"
                    + " trust (the SSL bundle's truststore, or trustManager(...) of the SslContext)";
        }
        if (message.contains("certificate_required") || message.contains("bad_certificate")
                || message.contains("certificate required")) {
            return "the server wants a client certificate (mutual TLS) the channel did not present or it did not"
                    + " accept; give the channel a key and certificate (the SSL bundle's keystore)";
        }
        if (message.contains("no_application_protocol") || message.contains("application protocol")) {
            return "the server does not offer HTTP/2 (h2) in ALPN, which gRPC needs";
        }
        return null;
    }

    /** The authority without its port: certificates name hosts. */
    private static String host(String authority) {
        int colon = authority.lastIndexOf(':');
        boolean port = colon > 0 && colon < authority.length() - 1
                && authority.substring(colon + 1).chars().allMatch(Character::isDigit);
        return port && authority.indexOf(':') == colon || port && authority.charAt(colon - 1) == ']'
                ? authority.substring(0, colon) : authority;
    }
}
