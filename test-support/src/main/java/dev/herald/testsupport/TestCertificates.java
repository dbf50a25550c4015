package dev.herald.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A local certificate authority and server certificates signed by it, made at test time with the
 * {@code openssl} command (nothing checked in can expire): {@code ca.pem}, and per server
 * {@code <name>.pem} / {@code <name>.key} (unencrypted PKCS#8) valid for {@code localhost} and
 * {@code 127.0.0.1}. EC P-256 keys: quick to make on a loaded machine.
 */
public final class TestCertificates {

    private static final long OPENSSL_SECONDS = 60;

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /** Makes a new CA in {@code directory} (created if needed); needs {@code openssl} on the PATH. */
    public static TestCertificates authority(Path directory) {
        Prerequisites.require(opensslPresent(), "openssl: apt-get install -y openssl");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + directory, e);
        }
        TestCertificates certificates = new TestCertificates(directory);
        certificates.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Herald test CA");
        return certificates;
    }

    /** The CA's certificate (what a client trusts). */
    public Path caCertificate() {
        return directory.resolve("ca.pem");
    }

    /** A JDK client context trusting only this CA (for HttpClient's wss, SSLSocket, Paho's socket factory). */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(caCertificate())) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("herald-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + caCertificate(), e);
        }
    }

    /** The serial number of the certificate in a PEM file (which one a server presents). */
    public static BigInteger serialOf(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + pem, e);
        }
    }

    /** Issues {@code <name>.pem} and {@code <name>.key} for localhost / 127.0.0.1, valid {@code days} days. */
    public Path[] server(String name, int days) {
        Path extensions = directory.resolve(name + ".ext");
        try {
            Files.writeString(extensions, "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                    + "extendedKeyUsage=serverAuth\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", Integer.toString(days), "-extfile", name + ".ext", "-out", name + ".pem");
        return new Path[] {directory.resolve(name + ".pem"), directory.resolve(name + ".key")};
    }

    private void openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(OPENSSL_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl did not finish within " + OPENSSL_SECONDS + " s: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean opensslPresent() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "openssl"))) {
                return true;
            }
        }
        return false;
    }
}
