package dev.lbchannel.samples;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A certificate authority made for one test class, issuing server certificates for DNS names and
 * client certificates, and writing the PEM files the samples' SSL bundles read
 * ({@code ca.pem}, {@code client.pem}, {@code client-key.pem}).
 */
final class Pki {

    private final X509Bundle ca;

    private Pki(X509Bundle ca) {
        this.ca = ca;
    }

    static Pki create(String name) {
        return new Pki(build(new CertificateBuilder().subject("CN=" + name).setIsCertificateAuthority(true), null));
    }

    X509Bundle ca() {
        return ca;
    }

    /** A server certificate naming {@code dnsNames} (the first is also the subject's CN). */
    X509Bundle server(String... dnsNames) {
        CertificateBuilder builder = new CertificateBuilder().subject("CN=" + dnsNames[0]).addExtendedKeyUsageServerAuth();
        for (String name : dnsNames) {
            builder.addSanDnsName(name);
        }
        return build(builder, ca);
    }

    X509Bundle client(String commonName) {
        return build(new CertificateBuilder().subject("CN=" + commonName).addExtendedKeyUsageClientAuth(), ca);
    }

    /** Writes {@code ca.pem} into {@code directory}. */
    void writeCa(Path directory) {
        write(directory.resolve("ca.pem"), ca.getCertificatePEM());
    }

    /** Writes {@code client}'s {@code client.pem} (with its chain) and {@code client-key.pem} into {@code directory}. */
    static void writeClient(Path directory, X509Bundle client) {
        write(directory.resolve("client.pem"), client.getCertificatePathPEM());
        write(directory.resolve("client-key.pem"), client.getPrivateKeyPEM());
    }

    private static void write(Path file, String pem) {
        try {
            Files.writeString(file, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509Bundle build(CertificateBuilder builder, @Nullable X509Bundle issuer) {
        Instant now = Instant.now();
        builder.notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS)).ecp256();
        try {
            return issuer == null ? builder.buildSelfSigned() : builder.buildIssuedBy(issuer);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build a test certificate", e);
        }
    }
}
