package dev.lbchannel.interop;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A test CA and a server certificate it issued for {@code localhost} and {@code 127.0.0.1},
 * written as PEM files for a server in another process; clients trust {@link #trust()}.
 */
final class ServerCertificates {

    private final X509Bundle ca;
    private final Path chainFile;
    private final Path keyFile;

    private ServerCertificates(X509Bundle ca, Path chainFile, Path keyFile) {
        this.ca = ca;
        this.chainFile = chainFile;
        this.keyFile = keyFile;
    }

    /**
     * Makes the CA and the certificate, and writes {@code server.pem} (the chain) and
     * {@code server.key} (PKCS#8) into {@code directory}.
     */
    static ServerCertificates writeTo(Path directory) {
        Instant now = Instant.now();
        try {
            X509Bundle ca = new CertificateBuilder().subject("CN=lbchannel interop CA").setIsCertificateAuthority(true)
                    .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                    .ecp256().buildSelfSigned();
            X509Bundle server = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                    .addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth()
                    .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                    .ecp256().buildIssuedBy(ca);
            Path chain = Files.writeString(directory.resolve("server.pem"), server.getCertificatePathPEM(),
                    StandardCharsets.US_ASCII);
            Path key = Files.writeString(directory.resolve("server.key"), server.getPrivateKeyPEM(),
                    StandardCharsets.US_ASCII);
            return new ServerCertificates(ca, chain, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot make test certificates", e);
        }
    }

    Path chainFile() {
        return chainFile;
    }

    Path keyFile() {
        return keyFile;
    }

    TrustManagerFactory trust() {
        return ca.toTrustManagerFactory();
    }
}
