package dev.weft.io;

import dev.weft.Future;
import dev.weft.io.internal.Blocking;
import java.io.IOException;
import javax.net.ssl.SSLSession;

/**
 * A TLS connection over another {@link AsyncIo}, made by {@link Tls#client} or {@link Tls#server}:
 * what is written is encrypted into TLS records and written below, what is read is decrypted
 * from the records read from below. It is an {@link AsyncIo} like any other, so sequential code
 * ({@code readInto}, {@code writeFrom}, {@code flush}), poll code and the helpers
 * ({@link Io}, {@link BufReader}, {@link Framed}) work over it unchanged.
 *
 * <ul>
 *   <li><b>Handshake.</b> Done by the first read, write or flush (or {@link #handshake()}), by
 *       whichever of them comes first; its certificate checks and key exchange run on the
 *       runtime's blocking pool, not on the caller's thread ({@link Tls}, "Threads"). A failure
 *       is an {@link javax.net.ssl.SSLHandshakeException}
 *       saying why (an untrusted certificate, a host name the certificate does not hold, no
 *       common protocol) and fails the stream for good.</li>
 *   <li><b>Writes are buffered:</b> a write encrypts its bytes into records at once and hands
 *       them down as far as the stream below takes them without waiting; {@link #flush()} pushes
 *       the rest and flushes the stream below. Each write makes at least one record: put a
 *       {@link BufWriter} above for many small writes.</li>
 *   <li><b>Closing.</b> {@link #shutdownOutput()} sends TLS's {@code close_notify} and then
 *       half-closes the stream below; reading the peer's {@code close_notify} is the end of
 *       stream. A peer that closes the connection without it, or in the middle of a record, is an
 *       {@link IOException} saying the data may have been cut off, never a clean end.
 *       {@link #close()} closes the stream below at once without sending anything, and gives
 *       back the buffers this stream took from its {@link BufPool}.</li>
 *   <li><b>Renegotiation is refused:</b> on TLS 1.2 and older, a second handshake started by the
 *       peer fails the stream with an {@link javax.net.ssl.SSLException} saying so. TLS 1.3's
 *       post-handshake messages (session tickets, key updates) are handled.</li>
 * </ul>
 *
 * <p><b>Threads.</b> One reader and one writer at a time, as for a socket; they may be different
 * tasks on different threads.
 */
public interface TlsStream extends AsyncIo {

    /**
     * Does the TLS handshake now if it is not done yet, parking until it is.
     *
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails (the message says why)
     * @throws IOException if the stream below fails
     */
    default void handshake() throws IOException {
        Blocking.await(handshakeFuture());
    }

    /**
     * The handshake as a future: ready once it is done (at once if it is), failing with an
     * {@link java.io.UncheckedIOException} carrying the {@link javax.net.ssl.SSLException}.
     * Cancel-safe: a dropped handshake future loses nothing, the next read, write or flush goes on.
     */
    Future<Void> handshakeFuture();

    /** True once the first handshake is done. */
    boolean isHandshakeDone();

    /**
     * The TLS session: protocol, cipher suite, the peer's certificates. Before the handshake is
     * done this is the JDK's placeholder session ({@code SSL_NULL_WITH_NULL_NULL}).
     */
    SSLSession session();

    /**
     * The application protocol agreed by ALPN ({@code "h2"}, {@code "http/1.1"}...), {@code ""} if
     * none was, or {@code null} before the handshake is done.
     */
    String applicationProtocol();
}
