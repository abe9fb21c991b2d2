package dev.weft.examples.kv;

import dev.weft.Future;
import dev.weft.io.AsyncIo;
import dev.weft.io.Codecs;
import dev.weft.io.Framed;

/**
 * The key-value server side (seed 003: a protocol library written once against Weft's traits).
 * It knows nothing of runtimes, sockets, compression or TLS: it takes any {@link AsyncIo} and
 * returns a lazy future that serves it, so a caller runs it on any runtime, over any transport,
 * with any middleware stacked under it:
 *
 * {@snippet :
 * AsyncIo conn = Compression.deflate(listener.accept());     // or a TLS session, a Unix socket, a pipe
 * Weft.spawnFuture(KvServer.serve(conn, store));
 * }
 *
 * <p>Each request line is answered in order; the answers are flushed whenever no request is
 * waiting (a sync flush under compression, a TLS record under TLS), so a client waiting for its
 * answer gets it. When the client ends its side, the server ends its own.
 */
public final class KvServer {
    /** The longest line either side accepts. */
    public static final int MAX_LINE = 64 * 1024;

    private KvServer() { }

    /** Serves {@code conn} until the client ends its side: a future for a poll task. */
    public static Future<Void> serve(AsyncIo conn, KvStore store) {
        Framed<String> lines = Codecs.lines(conn, MAX_LINE);
        return lines.map(store::apply).forward(lines.sink());
    }
}
