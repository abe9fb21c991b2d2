package dev.weft.io;

import dev.weft.io.internal.TlsEngineIo;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS over any {@link AsyncIo}: a TCP connection, a pipe, a compression layer. The result is a
 * {@link TlsStream}, read and written like the stream it wraps, on the JDK's
 * {@link SSLEngine} (so every protocol, key store and trust manager of the JDK works). A client:
 *
 * {@snippet class="dev.weft.io.snippets.NetSnippets" region="tlsClient"}
 *
 * <p><b>Buffers.</b> A TLS stream needs up to three buffers of about 16.7 KiB (a record read, a
 * record being written, and decrypted bytes that did not fit the caller's buffer), taken at first
 * use. Without a pool they are heap buffers of the stream's own. With a {@link BufPool} they
 * are taken from it and given back when the stream is closed or fails; the pool's buffers must
 * hold a whole record ({@link javax.net.ssl.SSLSession#getPacketBufferSize()}, 16,709 bytes with
 * the JDK's TLS), e.g. {@code BufPool.builder(17 * 1024, 3 * connections)}.
 *
 * <p><b>Threads.</b> The engine's delegated tasks, the handshake's costly part (certificate
 * checks, key exchange, signatures), run on the current runtime's blocking pool
 * ({@link dev.weft.Runtime#spawnBlocking}), never on a worker: the read, write or flush that drives
 * the handshake waits for them without holding its thread, and the worker runs other tasks
 * meanwhile. So a trust or key manager may block (a revocation check over the network): it holds
 * a pool thread for that time, and handshakes beyond the pool's cap wait in its queue. Polled by
 * hand outside any runtime, the stream runs them inline, on the polling thread.
 *
 * <p>For settings these factories do not cover (ALPN, client certificates, protocol versions,
 * cipher suites), configure an engine and {@link #wrap(AsyncIo, SSLEngine)} it.
 */
public final class Tls {
    private Tls() { }

    /**
     * A TLS client over {@code io}, for the server named {@code host}: the name is sent in the
     * handshake (SNI) and the server's certificate must be valid for it (host-name verification,
     * as HTTPS does it), else the handshake fails.
     *
     * @param host the server's host name (or IP literal) as the certificate names it
     */
    public static TlsStream client(AsyncIo io, SSLContext context, String host) {
        return client(io, context, host, null);
    }

    /** {@link #client(AsyncIo, SSLContext, String)} with the stream's buffers taken from {@code pool}. */
    public static TlsStream client(AsyncIo io, SSLContext context, String host, BufPool pool) {
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(host, "host");
        SSLEngine engine = context.createSSLEngine(host, portOf(io));
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(host)) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        engine.setSSLParameters(params);
        return new TlsEngineIo(io, engine, pool, host);
    }

    /** A TLS server over {@code io}, with the key material of {@code context}. */
    public static TlsStream server(AsyncIo io, SSLContext context) {
        return server(io, context, null);
    }

    /** {@link #server(AsyncIo, SSLContext)} with the stream's buffers taken from {@code pool}. */
    public static TlsStream server(AsyncIo io, SSLContext context, BufPool pool) {
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(context, "context");
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return new TlsEngineIo(io, engine, pool, null);
    }

    /**
     * TLS over {@code io} with an engine you configured: client or server mode
     * ({@link SSLEngine#setUseClientMode}, required), and any {@link SSLParameters}. The engine
     * must be new (no handshake begun) and is used by this stream only.
     */
    public static TlsStream wrap(AsyncIo io, SSLEngine engine) {
        return wrap(io, engine, null);
    }

    /** {@link #wrap(AsyncIo, SSLEngine)} with the stream's buffers taken from {@code pool}. */
    public static TlsStream wrap(AsyncIo io, SSLEngine engine, BufPool pool) {
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(engine, "engine");
        return new TlsEngineIo(io, engine, pool, engine.getPeerHost());
    }

    /** The peer's port for the engine's session cache, when the stream is a TCP connection; else -1. */
    private static int portOf(AsyncIo io) {
        if (io instanceof TcpStream tcp) {
            try {
                return tcp.remoteAddress().getPort();
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }

    /** SNI carries host names only (RFC 6066): not "127.0.0.1" nor "::1". */
    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }
}
