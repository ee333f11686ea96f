package dev.lbchannel.transport;

import org.jspecify.annotations.Nullable;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import static java.util.Objects.requireNonNull;

/**
 * What channelz may say about a connection's TLS session: the negotiated protocol and cipher
 * suite and the subject of the peer's leaf certificate. Deliberately nothing else: no keys, no
 * session ids, no whole certificates.
 *
 * @param protocol the TLS version, such as {@code TLSv1.3}
 * @param cipherSuite the negotiated cipher suite, such as {@code TLS_AES_128_GCM_SHA256}
 * @param peerSubject the peer certificate's subject as an RFC 2253 name, or {@code null} when the
 *     peer presented none that could be verified
 */
public record TlsSession(String protocol, String cipherSuite, @Nullable String peerSubject) {

    public TlsSession {
        requireNonNull(protocol, "protocol");
        requireNonNull(cipherSuite, "cipherSuite");
    }

    static TlsSession of(SSLSession session) {
        return new TlsSession(session.getProtocol(), session.getCipherSuite(), peerSubject(session));
    }

    private static @Nullable String peerSubject(SSLSession session) {
        X509Certificate leaf = peerCertificate(session);
        return leaf == null ? null : leaf.getSubjectX500Principal().getName();
    }

    /** The peer's leaf certificate, or {@code null} when it presented none that was verified. */
    static @Nullable X509Certificate peerCertificate(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** One line for logs and summaries: {@code TLSv1.3 TLS_AES_128_GCM_SHA256 peer=CN=orders}. */
    @Override
    public String toString() {
        return protocol + " " + cipherSuite + " peer=" + (peerSubject == null ? "unverified" : peerSubject);
    }
}
