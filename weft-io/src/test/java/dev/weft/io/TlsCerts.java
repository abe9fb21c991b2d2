package dev.weft.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Certificates for the TLS tests, made at test time by the JDK's {@code keytool} (nothing is
 * checked in): a self-signed certificate for {@code localhost} and {@code 127.0.0.1} (no CA: the
 * client trusts the certificate itself), and a second, unrelated one with the same names that no
 * client trusts.
 *
 * @param server        a server's context with the trusted certificate
 * @param client        a client's context that trusts exactly that certificate
 * @param otherServer   a server's context with the unrelated certificate
 * @param keys          the trusted key pair (for contexts with a key manager of a test's own)
 * @param trust         the trust store that holds its certificate
 */
public record TlsCerts(SSLContext server, SSLContext client, SSLContext otherServer, KeyStore keys, KeyStore trust) {
    private static final char[] PASSWORD = "weft-test".toCharArray();

    /** Makes both key pairs in {@code dir} (two keytool runs, about a second) and the contexts over them. */
    public static TlsCerts make(Path dir) throws Exception {
        KeyStore trusted = keyPair(dir, "trusted");
        KeyStore other = keyPair(dir, "other");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        Certificate cert = trusted.getCertificate("trusted");
        trust.setCertificateEntry("trusted", cert);
        return new TlsCerts(serverContext(trusted), clientContext(trust), serverContext(other), trusted, trust);
    }

    /** A server's context with the trusted key pair, whose key manager is {@code wrap} of the JDK's. */
    public SSLContext serverWith(UnaryOperator<X509ExtendedKeyManager> wrap) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[] {wrap.apply((X509ExtendedKeyManager) kmf.getKeyManagers()[0])}, null, null);
        return ctx;
    }

    /** A client's context that trusts the certificate, whose trust manager is {@code wrap} of the JDK's. */
    public SSLContext clientWith(UnaryOperator<X509ExtendedTrustManager> wrap) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {wrap.apply((X509ExtendedTrustManager) tmf.getTrustManagers()[0])}, null);
        return ctx;
    }

    private static KeyStore keyPair(Path dir, String alias) throws Exception {
        Path file = dir.resolve(alias + ".p12");
        Process p = new ProcessBuilder(List.of(System.getProperty("java.home") + "/bin/keytool", "-genkeypair",
                "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost, O=Weft test " + alias,
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed to make the test certificate '" + alias + "': " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private static SSLContext serverContext(KeyStore keys) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static SSLContext clientContext(KeyStore trust) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
