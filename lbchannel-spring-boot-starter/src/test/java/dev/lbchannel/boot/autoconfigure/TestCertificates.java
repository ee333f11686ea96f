package dev.lbchannel.boot.autoconfigure;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One test CA for the whole test run, with a server certificate for {@code localhost} and
 * {@code 127.0.0.1} and a client certificate for mutual TLS, all as PEM for Spring SSL bundles.
 */
final class TestCertificates {

    private static final X509Bundle CA;
    private static final X509Bundle SERVER;
    private static final X509Bundle CLIENT;

    static {
        try {
            Instant now = Instant.now();
            CA = new CertificateBuilder().subject("CN=lbchannel starter test CA").setIsCertificateAuthority(true)
                    .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                    .ecp256().buildSelfSigned();
            SERVER = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                    .addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth()
                    .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                    .ecp256().buildIssuedBy(CA);
            CLIENT = new CertificateBuilder().subject("CN=orders-client").addExtendedKeyUsageClientAuth()
                    .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                    .ecp256().buildIssuedBy(CA);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TestCertificates() {
    }

    static String caPem() {
        return CA.getCertificatePEM();
    }

    static X509Bundle ca() {
        return CA;
    }

    static X509Bundle server() {
        return SERVER;
    }

    static String clientCertificatePem() {
        return CLIENT.getCertificatePathPEM();
    }

    static String clientPrivateKeyPem() {
        return CLIENT.getPrivateKeyPEM();
    }
}
