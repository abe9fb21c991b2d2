package dev.weft.bench.chaos;

import dev.weft.Either;
import dev.weft.Runtime;
import dev.weft.TimedOutException;
import dev.weft.Weft;
import dev.weft.io.AsyncFile;
import dev.weft.io.BufIOException;
import dev.weft.io.IoBuf;
import dev.weft.io.ReadResult;
import dev.weft.io.TcpStream;
import dev.weft.io.WriteResult;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * I/O on loopback with random cancels, every buffer from the run's {@link BufPool}.
 *
 * <p>{@code io-bytes-intact}: an echo connection gets back exactly the byte stream it sent (each
 * connection sends its own salted sequence), although its owned reads are raced against short
 * sleeps and lose often (a lost owned read forfeits its buffer to the pool and must lose no
 * byte), and some writes are cancelled mid-way (the connection then only half-closes and checks
 * that what comes back is a prefix of what was sent). An {@link AsyncFile} read, completed,
 * timed out or cancelled, leaves in its buffer exactly the file's bytes up to the buffer's
 * position, and nothing beyond it.
 */
final class IoOps {
    private static final byte MARK = 0x5A;

    private IoOps() { }

    static void echo(World w, SplittableRandom rnd) throws IOException {
        EchoPeer peer = w.io.echo;
        if (peer == null) {
            return;
        }
        IoFixtures pool = w.io;
        long salt = w.nextId();
        long sent = 0;
        long received = 0;
        boolean outputBroken = false;
        long attempted = 0;
        TcpStream conn = TcpStream.connect(peer.address());
        IoBuf out = pool.take();
        IoBuf in = pool.take();
        long token = w.joins.begin("echo connection");
        try {
            int rounds = 1 + rnd.nextInt(6);
            for (int round = 0; round < rounds && !outputBroken; round++) {
                int n = 1 + rnd.nextInt(out.capacity());
                fill(out.clear(), salt, sent, n);
                out.flip();
                if (rnd.nextInt(8) == 0) {
                    // A write raced against a very short sleep: a lost write-all may have sent a prefix.
                    Either<WriteResult, Void> r = Weft.select(conn.writeAllOwned(out), Weft.sleepFuture(World.micros(rnd, 100)));
                    if (r instanceof Either.First<WriteResult, Void>(WriteResult wr)) {
                        out = wr.buf();
                        sent += n;
                    } else {
                        out = pool.take();     // the cancelled write returned its buffer to the pool
                        attempted = n;
                        outputBroken = true;
                        break;
                    }
                } else {
                    out = conn.writeAll(out).buf();
                    sent += n;
                }
                while (received < sent) {
                    Either<ReadResult, Void> r = Weft.select(conn.readOwned(in.clear()), Weft.sleepFuture(World.micros(rnd, 300)));
                    if (r instanceof Either.First<ReadResult, Void>(ReadResult rr)) {
                        in = rr.buf();
                        if (rr.eof()) {
                            w.bytes.fail("echo: the server closed the connection after " + received + " of " + sent + " bytes");
                            return;
                        }
                        if (!verify(w, in, salt, received, rr.count(), "echo")) {
                            return;
                        }
                        received += rr.count();
                    } else {
                        in = pool.take();      // the lost read forfeited its buffer; it took no byte
                    }
                }
            }
            conn.shutdownOutput();
            for (;;) {
                ReadResult rr = conn.read(in.clear());
                in = rr.buf();
                if (rr.eof()) {
                    break;
                }
                if (!verify(w, in, salt, received, rr.count(), "echo")) {
                    return;
                }
                received += rr.count();
            }
            long got = received;
            long s = sent;
            long a = attempted;
            if (outputBroken) {
                w.bytes.check(got >= s && got <= s + a, () -> "echo: after a cancelled write of " + a + " bytes, "
                        + got + " bytes came back for " + s + " sent before it");
            } else {
                w.bytes.check(got == s, () -> "echo: " + got + " bytes came back for " + s + " sent");
            }
        } catch (BufIOException e) {
            w.bytes.fail("echo: I/O error on loopback: " + e);
        } finally {
            w.joins.end(token);
            conn.close();
            pool.pool.give(out);
            pool.pool.give(in);
        }
    }

    private static void fill(IoBuf buf, long salt, long from, int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = IoFixtures.pattern(salt, from + i);
        }
        buf.put(bytes);
    }

    /** Checks that {@code buf[0, n)} is the salted sequence from {@code streamPos}. */
    private static boolean verify(World w, IoBuf buf, long salt, long streamPos, int n, String what) {
        byte[] got = new byte[n];
        buf.get(0, got, 0, n);
        for (int i = 0; i < n; i++) {
            if (got[i] != IoFixtures.pattern(salt, streamPos + i)) {
                int at = i;
                w.bytes.fail(what + ": byte " + (streamPos + at) + " of the stream is " + got[at] + ", expected "
                        + IoFixtures.pattern(salt, streamPos + at));
                return false;
            }
        }
        w.bytes.pass();
        return true;
    }

    /** A plain AsyncFile read. */
    static void fileRead(World w, SplittableRandom rnd) throws Exception {
        fileRead(w, rnd, 0);
    }

    /** An AsyncFile read under {@code Weft.timeout}, or in a task cancelled at a random moment. */
    static void fileReadCancelled(World w, SplittableRandom rnd) throws Exception {
        fileRead(w, rnd, 1 + rnd.nextInt(2));
    }

    private static void fileRead(World w, SplittableRandom rnd, int how) throws Exception {
        AsyncFile file = w.io.file;
        if (file == null) {
            return;
        }
        IoFixtures pool = w.io;
        IoBuf buf = pool.take();
        try {
            int len = 1 + rnd.nextInt(buf.capacity());
            long pos = rnd.nextLong(IoFixtures.FILE_SIZE);
            buf.segment().fill(MARK);
            buf.clear().limit(len);
            IoBuf b = buf;
            String what;
            switch (how) {
                case 0 -> {
                    what = "readAt";
                    int n = file.readAt(b, pos);
                    int expected = (int) Math.min(len, IoFixtures.FILE_SIZE - pos);
                    w.bytes.check(n == expected && b.position() == n, () -> "AsyncFile.readAt of " + len + " bytes at " + pos
                            + " returned " + n + " with the buffer at position " + b.position() + " (expected " + expected + ")");
                }
                case 1 -> {
                    what = "readAt under Weft.timeout";
                    long token = w.joins.begin("Weft.timeout(AsyncFile.readAt)");
                    try {
                        Weft.timeout(World.micros(rnd, 300), () -> file.readAt(b, pos));
                    } catch (TimedOutException expected) {
                        // cancelled: its bytes up to the position are checked below
                    } finally {
                        w.joins.end(token);
                    }
                }
                default -> {
                    what = "readAt in a cancelled task";
                    Tracked t = w.ledger.spawn(Runtime.current(), "file/read", () -> file.readAt(b, pos));
                    World.pause(rnd, 300);
                    t.task().cancel();
                    w.ledger.join(t);
                }
            }
            checkFileBytes(w, b, pos, len, what);
        } finally {
            pool.pool.give(buf);
        }
    }

    /** Bytes [0, position) are the file's from {@code pos}; bytes [position, len) are untouched. */
    private static void checkFileBytes(World w, IoBuf buf, long pos, int len, String how) {
        int p = buf.position();
        byte[] got = new byte[len];
        buf.get(0, got, 0, len);
        for (int i = 0; i < p; i++) {
            if (got[i] != IoFixtures.pattern(IoFixtures.FILE_SALT, pos + i)) {
                int at = i;
                w.bytes.fail("AsyncFile " + how + ": byte " + at + " of the buffer (file offset " + (pos + at)
                        + ") is not the file's");
                return;
            }
        }
        int written = 0;
        for (int i = p; i < len; i++) {
            if (got[i] != MARK) {
                written++;
            }
        }
        int beyond = written;
        w.bytes.check(beyond == 0, () -> "AsyncFile " + how + ": the buffer's position is " + p + " but " + beyond
                + " bytes beyond it were written (" + len + " asked at offset " + pos + "); the Javadoc says a cancelled "
                + "read's bytes are in the buffer with its position advanced");
    }
}
