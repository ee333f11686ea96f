package dev.lbchannel.transport;

import io.grpc.Status;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a TLS connection may carry an RPC whose {@code :authority} differs from the
 * one the connection was opened (and its certificate verified) for: only when the server's
 * certificate also covers that host, by the rules of RFC 6125 (subject alternative names; a
 * wildcard only as the whole leftmost label; the common name only without DNS names). Otherwise a
 * per-call authority would let an RPC claim a server identity nobody checked. Thread-safe;
 * verdicts are kept for a bounded number of authorities.
 */
final class AuthorityVerifier {

    /** Allows every authority: a plaintext connection has no identity to protect. */
    static final AuthorityVerifier PLAINTEXT = new AuthorityVerifier("", null);

    private static final int MAX_CACHED = 64;
    private static final Status ALLOWED = Status.OK;

    private final String connectionAuthority;
    private final @Nullable X509Certificate peer;
    private final Map<String, Status> verdicts = new ConcurrentHashMap<>();

    private AuthorityVerifier(String connectionAuthority, @Nullable X509Certificate peer) {
        this.connectionAuthority = connectionAuthority;
        this.peer = peer;
    }

    /** For a TLS connection opened for {@code authority} whose server presented {@code peer}. */
    static AuthorityVerifier forTls(String authority, @Nullable X509Certificate peer) {
        return new AuthorityVerifier(authority, peer);
    }

    /** {@code null} when an RPC may carry {@code authority} here; else the status to fail it with. */
    @Nullable Status verify(String authority) {
        if (this == PLAINTEXT || authority.equals(connectionAuthority)) {
            return null;
        }
        Status verdict = verdicts.get(authority);
        if (verdict == null) {
            verdict = decide(authority);
            if (verdicts.size() < MAX_CACHED) {
                verdicts.put(authority, verdict);
            }
        }
        return verdict == ALLOWED ? null : verdict;
    }

    private Status decide(String authority) {
        String host = NettyClientTransport.hostOf(authority);
        if (peer != null && covers(peer, host)) {
            return ALLOWED;
        }
        return Status.UNAVAILABLE.withDescription("The call's authority '" + authority + "' (CallOptions.withAuthority)"
                + " is not covered by the certificate of the TLS server it was picked for, which was verified for '"
                + connectionAuthority + "'; use an authority the server's certificate names");
    }

    /** Whether {@code cert} names {@code host}, an IP literal or a DNS name. */
    static boolean covers(X509Certificate cert, String host) {
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
        Collection<List<?>> names = subjectAltNames(cert);
        if (ip != null) {
            for (List<?> name : names) {
                if ((Integer) name.get(0) == 7 && Arrays.equals(ip,
                        NetUtil.createByteArrayFromIpAddressString(String.valueOf(name.get(1))))) {
                    return true;
                }
            }
            return false;
        }
        String wanted = normalize(host);
        boolean anyDnsName = false;
        for (List<?> name : names) {
            if ((Integer) name.get(0) == 2) {
                anyDnsName = true;
                if (matchesDnsName(String.valueOf(name.get(1)), wanted)) {
                    return true;
                }
            }
        }
        String commonName = anyDnsName ? null : commonName(cert);
        return commonName != null && matchesDnsName(commonName, wanted);
    }

    /** Whether a certificate's DNS name {@code name} (perhaps {@code *.domain}) covers {@code host}. */
    static boolean matchesDnsName(String name, String host) {
        String pattern = normalize(name);
        host = normalize(host);
        if (!pattern.startsWith("*.")) {
            return pattern.equals(host);
        }
        String suffix = pattern.substring(1); // ".example.com"
        int firstDot = host.indexOf('.');
        return suffix.indexOf('.', 1) > 0 && firstDot > 0 && host.substring(firstDot).equals(suffix);
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static Collection<List<?>> subjectAltNames(X509Certificate cert) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static @Nullable String commonName(X509Certificate cert) {
        try {
            List<Rdn> rdns = new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) { // the most specific comes last in LdapName order
                if ("CN".equalsIgnoreCase(rdns.get(i).getType())) {
                    return String.valueOf(rdns.get(i).getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
