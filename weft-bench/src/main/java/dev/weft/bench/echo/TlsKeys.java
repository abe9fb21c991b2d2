package dev.weft.bench.echo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The key material of the TLS echo runners ({@code weft-nio-tls/poll}, {@code netty/nio-tls}): one
 * self-signed EC P-256 certificate for {@code localhost} and {@code 127.0.0.1}, made once per suite
 * run by the JDK's {@code keytool} into a temp directory and handed to every server JVM, so both
 * servers present the same certificate. The protocol (TLS 1.3) and the cipher suite
 * ({@link #CIPHER_SUITE}) are pinned by the load client, which offers nothing else; each server
 * logs what it negotiated once.
 */
final class TlsKeys {
    /** The only protocol the load clients offer. */
    static final String PROTOCOL = "TLSv1.3";
    /** The only cipher suite the load clients offer (TLS 1.3's mandatory one; AES-GCM is an intrinsic on the JDK). */
    static final String CIPHER_SUITE = "TLS_AES_128_GCM_SHA256";
    private static final char[] PASSWORD = "weft-bench".toCharArray();

    private TlsKeys() { }

    /** Makes the key pair in a new temp directory (deleted at exit); the PKCS#12 key store's path. */
    static Path make() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("weft-echo-tls");
        Path file = dir.resolve("echo.p12");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "echo", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost, O=Weft echo benchmark", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed to make the echo suite's certificate: " + out.strip());
        }
        file.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return file;
    }

    /** The server's keys from the key store {@link #make()} wrote. */
    static KeyManagerFactory keyManagers(Path keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        return kmf;
    }

    /** A server's context over {@link #keyManagers}: the JDK's default TLS provider (SunJSSE). */
    static SSLContext serverContext(Path keyStore) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keyManagers(keyStore).getKeyManagers(), null, null);
        return ctx;
    }

    /**
     * A client's context that accepts any server certificate (the suite's own self-signed one) and
     * checks no host name: the Java load client's, which still does a full TLS 1.3 handshake.
     */
    static SSLContext trustingClientContext() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) { }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) { }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }
}
