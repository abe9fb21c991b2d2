package dev.weft.bench;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.BufIOException;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.ReadResult;
import dev.weft.io.TcpStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One echo connection served with a pooled buffer, in either style, for the chaos and soak
 * harnesses: echo until EOF (or a reset peer, which ends this connection only), then close it and
 * hand the buffer back exactly once, also when the task is cancelled.
 */
public final class PooledEcho {
    private PooledEcho() { }

    /** Sequential form: run as a sequential task's body. */
    public static Void sequential(TcpStream conn, IoBuf buf, Consumer<IoBuf> giveBack) {
        try (conn) {
            for (;;) {
                ReadResult r = conn.read(buf.clear());
                buf = r.buf();
                if (r.eof()) {
                    return null;
                }
                buf = conn.writeAll(buf.flip()).buf();
            }
        } catch (BufIOException e) {
            buf = e.buf();          // the peer reset or vanished: this connection only
            return null;
        } finally {
            giveBack.accept(buf);   // a pool does nothing for a buffer a cancelled operation already returned
        }
    }

    /** Poll form: {@link Io#copyFuture} from the connection to itself; its end or its drop closes and gives back. */
    public static Future<Void> poll(TcpStream conn, IoBuf buf, Consumer<IoBuf> giveBack) {
        Future<Long> copy = Io.copyFuture(conn, conn, buf);
        AtomicBoolean finished = new AtomicBoolean();
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                conn.close();
                giveBack.accept(buf);
            }
        };
        return new Future<>() {
            @Override
            public Poll<Void> poll(Context cx) {
                try {
                    if (copy.poll(cx).isPending()) {
                        return Poll.pending();
                    }
                } catch (RuntimeException e) {
                    // the peer reset or vanished: this connection only
                }
                finish.run();
                return Poll.ready(null);
            }

            @Override
            public void drop() {
                try {
                    copy.drop();
                } finally {
                    finish.run();
                }
            }
        };
    }
}
