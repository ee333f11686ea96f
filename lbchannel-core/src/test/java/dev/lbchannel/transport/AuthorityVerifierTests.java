package dev.lbchannel.transport;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Which per-call authorities a server certificate covers (RFC 6125 rules). */
@Timeout(30)
class AuthorityVerifierTests {

    private static X509Bundle ca;

    @BeforeAll
    static void makeCa() throws Exception {
        Instant now = Instant.now();
        ca = new CertificateBuilder().subject("CN=test CA").setIsCertificateAuthority(true)
                .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256().buildSelfSigned();
    }

    private static X509Certificate issued(CertificateBuilder builder) throws Exception {
        Instant now = Instant.now();
        return builder.notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256().buildIssuedBy(ca).getCertificate();
    }

    @Test
    void namesAndAddressesInTheSubjectAltNamesAreCovered() throws Exception {
        X509Certificate cert = issued(new CertificateBuilder().subject("CN=ignored.example")
                .addSanDnsName("localhost").addSanDnsName("orders.example.com").addSanIpAddress("127.0.0.1"));

        assertThat(AuthorityVerifier.covers(cert, "localhost")).isTrue();
        assertThat(AuthorityVerifier.covers(cert, "LocalHost.")).isTrue();
        assertThat(AuthorityVerifier.covers(cert, "orders.example.com")).isTrue();
        assertThat(AuthorityVerifier.covers(cert, "127.0.0.1")).isTrue();

        assertThat(AuthorityVerifier.covers(cert, "example.com")).isFalse();
        assertThat(AuthorityVerifier.covers(cert, "127.0.0.2")).isFalse();
        assertThat(AuthorityVerifier.covers(cert, "ignored.example")).as("no CN when DNS names exist").isFalse();
        assertThat(AuthorityVerifier.covers(cert, "evil.test")).isFalse();
    }

    @Test
    void theCommonNameCountsOnlyWithoutDnsNames() throws Exception {
        X509Certificate cert = issued(new CertificateBuilder().subject("CN=legacy.example, O=lbchannel"));

        assertThat(AuthorityVerifier.covers(cert, "legacy.example")).isTrue();
        assertThat(AuthorityVerifier.covers(cert, "other.example")).isFalse();
    }

    @Test
    void aWildcardIsOneWholeLeftmostLabelOverAtLeastTwoMore() {
        assertThat(AuthorityVerifier.matchesDnsName("*.example.com", "orders.example.com")).isTrue();
        assertThat(AuthorityVerifier.matchesDnsName("*.Example.COM", "Orders.example.com.")).isTrue();
        assertThat(AuthorityVerifier.matchesDnsName("*.example.com", "a.b.example.com")).isFalse();
        assertThat(AuthorityVerifier.matchesDnsName("*.example.com", "example.com")).isFalse();
        assertThat(AuthorityVerifier.matchesDnsName("*.example.com", ".example.com")).isFalse();
        assertThat(AuthorityVerifier.matchesDnsName("*.com", "anything.com")).isFalse();
        assertThat(AuthorityVerifier.matchesDnsName("o*.example.com", "orders.example.com")).isFalse();
    }

    @Test
    void verdictsNameTheAuthorityAndAllowTheConnectionsOwn() throws Exception {
        X509Certificate cert = issued(new CertificateBuilder().subject("CN=x").addSanDnsName("localhost"));
        AuthorityVerifier verifier = AuthorityVerifier.forTls("localhost:8443", cert);

        assertThat(verifier.verify("localhost:8443")).isNull();
        assertThat(verifier.verify("localhost:9000")).isNull();
        assertThat(verifier.verify("evil.test:8443")).isNotNull()
                .satisfies(status -> assertThat(status.getDescription()).contains("evil.test:8443", "localhost:8443"));
        assertThat(AuthorityVerifier.PLAINTEXT.verify("anything")).isNull();
    }
}
