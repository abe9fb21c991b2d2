package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.io.internal.Blocking;
import dev.weft.io.internal.HostLookup;
import dev.weft.io.internal.PoolCalls;
import dev.weft.io.internal.IoDrivers;
import dev.weft.io.spi.IoDriver;
import dev.weft.io.internal.nio.NioStreamSocket;
import dev.weft.io.spi.StreamSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * A TCP connection on the current runtime's I/O driver (NIO, or io_uring where the runtime chose
 * it). It implements both I/O contracts, the readiness traits {@link AsyncRead}/{@link AsyncWrite}
 * and the owned-buffer forms {@link OwnedRead}/{@link OwnedWrite}, and lends its buffer for writing
 * in place ({@link AsyncBufWrite}). In a sequential task it reads like {@code java.net.Socket}:
 *
 * {@snippet class="dev.weft.io.snippets.NetSnippets" region="echo"}
 *
 * <p><b>Cancellation.</b> Cancelling a task that waits in {@code read} loses nothing: on NIO a
 * read is done inside one poll (bytes not yet read stay in the kernel); on io_uring the stream's
 * own receive buffer, not the caller's, is the target of the kernel's read, and the next read
 * returns what landed there. A write on io_uring is copied into the stream's send buffer and sent
 * from there ({@link #flush()} waits until the kernel took it).
 *
 * <p><b>No copy</b> (seed 002): on io_uring an owned read or write of a native buffer (a direct
 * {@link BufPool}'s, or {@link IoBuf#allocateDirect}) has the kernel receive into it or send from
 * it, and a cancelled owned read hands what had landed to the stream, which returns it first;
 * {@link #pollReserve} lends the send buffer itself, so an encoder writes where the kernel sends
 * from. {@code Runtime.current().extension(Uring.class)} counts both kinds of bytes.
 *
 * <p><b>Threads.</b> One reader and one writer at a time (they may be different tasks, so a
 * connection can be read and written concurrently). Any task on any runtime may use the stream;
 * the runtime that was current when it was made reports its readiness.
 */
public final class TcpStream implements AsyncIo, AsyncBufWrite, OwnedIo {
    private static final int STAGE = 64 * 1024;

    private final StreamSocket socket;
    private BufWriter stage;    // made at the first reserve on a socket that lends no memory of its own (NIO)

    TcpStream(StreamSocket socket) {
        this.socket = socket;
    }

    /**
     * Connects to {@code address}; parks the task until connected. No-delay is on (see
     * {@link #setNoDelay}). An unresolved address is looked up on the blocking pool first.
     */
    public static TcpStream connect(SocketAddress address) throws IOException {
        return Blocking.await(connectFuture(address));
    }

    /**
     * Connects to {@code address}, giving up after {@code timeout}: then the half-made connection
     * is closed and this throws {@link java.net.SocketTimeoutException}, as
     * {@code Socket.connect(address, timeout)} does. An unresolved address's lookup counts
     * against the timeout.
     */
    public static TcpStream connect(SocketAddress address, java.time.Duration timeout) throws IOException {
        return Blocking.await(connectFuture(address, timeout));
    }

    /**
     * {@link #connect(SocketAddress, java.time.Duration)} as a future: on the deadline it fails
     * with an {@link UncheckedIOException} carrying the {@link java.net.SocketTimeoutException}.
     */
    public static Future<TcpStream> connectFuture(SocketAddress address, java.time.Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Future<TcpStream> inner = connectFuture(address).timeout(timeout);
        return new Future<>() {
            @Override
            public Poll<TcpStream> poll(Context cx) {
                try {
                    return inner.poll(cx);
                } catch (dev.weft.TimedOutException e) {
                    java.net.SocketTimeoutException t = new java.net.SocketTimeoutException(
                            "connect to " + address + " timed out after " + timeout);
                    throw new UncheckedIOException(t.getMessage(), t);
                }
            }

            @Override
            public void drop() {
                inner.drop();
            }

            @Override
            public String toString() {
                return "connect(" + address + ", timeout " + timeout + ")";
            }
        };
    }

    /**
     * Connects to {@code host:port}; parks the task until connected. A host name is looked up on
     * the runtime's blocking pool (a lookup can block its thread for seconds, and a worker must
     * never be blocked); an IP literal needs no lookup.
     *
     * @throws java.net.UnknownHostException if the host name is unknown
     */
    public static TcpStream connect(String host, int port) throws IOException {
        Objects.requireNonNull(host, "host");
        return connect(InetSocketAddress.createUnresolved(host, port));
    }

    /**
     * Connects to {@code address}, as a future that starts connecting at its first poll, on the
     * runtime current at that poll. An unresolved address ({@link InetSocketAddress#createUnresolved})
     * is looked up first, on the blocking pool, without blocking the poll. Cancelling it closes
     * the half-made connection (a lookup in flight finishes on its pool thread, unused).
     */
    public static Future<TcpStream> connectFuture(SocketAddress address) {
        return connectVia(address, null);
    }

    /** {@link #connectFuture(SocketAddress)} through {@code bound}, or the current runtime's driver if null. */
    static Future<TcpStream> connectVia(SocketAddress address, IoDriver bound) {
        Objects.requireNonNull(address, "address");
        return new Future<>() {
            private SocketAddress target = address;
            private Task<InetAddress> lookup;
            private Future<StreamSocket> connecting;

            @Override
            public Poll<TcpStream> poll(Context cx) {
                try {
                    if (connecting == null) {
                        if (HostLookup.needsLookup(target) && !lookedUp(cx)) {
                            return Poll.pending();
                        }
                        if (!(target instanceof InetSocketAddress inet)) {
                            throw new IllegalArgumentException("TcpStream connects to an InetSocketAddress, got " + target);
                        }
                        connecting = (bound != null ? bound : IoDrivers.current()).connect(inet);
                    }
                    Poll<StreamSocket> p = connecting.poll(cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    connecting = null;
                    return Poll.ready(new TcpStream(p.value()));
                } catch (UncheckedIOException e) {
                    drop();
                    throw new UncheckedIOException("cannot connect to " + address + ": " + e.getCause().getMessage(), e.getCause());
                } catch (IOException e) {
                    drop();
                    throw new UncheckedIOException("cannot connect to " + address + ": " + e.getMessage(), e);
                } catch (RuntimeException e) {
                    drop();
                    throw e;
                }
            }

            /** Looks the host up on the blocking pool: true once {@link #target} is resolved. */
            private boolean lookedUp(Context cx) throws IOException {
                InetSocketAddress unresolved = (InetSocketAddress) target;
                InetAddress literal = HostLookup.literalOrNull(unresolved.getHostString());
                if (literal != null) {
                    target = new InetSocketAddress(literal, unresolved.getPort());
                    return true;
                }
                if (lookup == null) {
                    lookup = HostLookup.start(unresolved);
                }
                Poll<InetAddress> p;
                try {
                    p = lookup.poll(cx);
                } catch (TaskFailedException failed) {
                    lookup = null;
                    if (failed.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw failed;
                }
                if (p.isPending()) {
                    return false;
                }
                lookup = null;
                target = new InetSocketAddress(p.value(), unresolved.getPort());
                return true;
            }

            @Override
            public void drop() {
                if (lookup != null) {
                    lookup.cancel();        // uninterruptible: skipped if not started, else it just ends
                    lookup = null;
                }
                if (connecting != null) {
                    Future<StreamSocket> c = connecting;
                    connecting = null;
                    c.drop();               // closes the half-made socket
                }
            }

            @Override
            public String toString() {
                return "connect(" + address + ")";
            }
        };
    }

    // ------------------------------------------------------------------ the traits

    @Override
    public int pollRead(Context cx, IoBuf dst) {
        return socket.pollRead(cx, dst);
    }

    @Override
    public int pollWrite(Context cx, IoBuf src) {
        BufWriter s = stage;
        return s != null ? s.pollWrite(cx, src) : socket.pollWrite(cx, src);
    }

    /** On NIO writes go straight to the socket; on io_uring, what this stream buffered is sent. */
    @Override
    public boolean pollFlush(Context cx) {
        BufWriter s = stage;
        return s != null ? s.pollFlush(cx) : socket.pollFlush(cx);
    }

    /** Half-closes: the peer reads end-of-stream; this side can still read. */
    @Override
    public boolean pollShutdown(Context cx) {
        BufWriter s = stage;
        return s != null ? s.pollShutdown(cx) : socket.pollShutdown(cx);
    }

    // ------------------------------------------------------------------ writing in place

    /**
     * {@inheritDoc}
     *
     * <p>On io_uring the room is in the stream's send buffer, the memory the kernel sends from:
     * committed bytes are sent from where they were written. On NIO it is in a 64 KiB stage made
     * at the first reserve; committed bytes are written to the socket at once, as far as it takes
     * them, and the rest before the next write. Either way {@link #flush()} waits until all are out,
     * and {@link #close()} without it may drop what the kernel has not taken.
     */
    @Override
    public IoBuf pollReserve(Context cx, int min) {
        return inPlace().pollReserve(cx, min);
    }

    @Override
    public void commit(int n) {
        inPlace().commit(n);
    }

    @Override
    public int maxReserve() {
        return inPlace().maxReserve();
    }

    private AsyncBufWrite inPlace() {
        if (socket instanceof AsyncBufWrite lends) {
            return lends;
        }
        BufWriter s = stage;
        if (s == null) {
            stage = s = BufWriter.eager(socket, IoBuf.allocate(STAGE));
        }
        return s;
    }

    // ------------------------------------------------------------------ owned forms

    /**
     * {@inheritDoc}
     *
     * <p>On io_uring, a native buffer (from a direct {@link BufPool}, or
     * {@link IoBuf#allocateDirect}) is where the kernel receives: no copy in Java. A heap buffer,
     * and every buffer on NIO, is filled by a readiness read in the poll that completes it.
     */
    @Override
    public Future<ReadResult> readOwned(IoBuf buf) {
        return socket.readOwned(buf);
    }

    /** {@inheritDoc} On io_uring a native buffer is sent from where it is, as for {@link #readOwned}. */
    @Override
    public Future<WriteResult> writeOwned(IoBuf buf) {
        return stage != null ? OwnedIo.writeVia(this, buf) : socket.writeOwned(buf);      // staged bytes go first
    }

    @Override
    public Future<WriteResult> writeAllOwned(IoBuf buf) {
        return stage != null ? OwnedIo.writeAllVia(this, buf) : socket.writeAllOwned(buf);
    }

    // ------------------------------------------------------------------ file to socket

    /**
     * Sends {@code count} bytes of {@code file} from {@code position} straight from the file to
     * the socket ({@link java.nio.channels.FileChannel#transferTo}: the kernel copies, Java never
     * sees the bytes); parks while the socket's buffer is full. Returns the bytes sent, fewer than
     * {@code count} only if the file ends first.
     *
     * <p>The file is read on the runtime's blocking pool, never on this task's thread, so
     * cancelling the task never closes the file for its other users. Cancelled, it waits (shielded)
     * until the pool thread has finished its current {@code transferTo}, then throws
     * {@link dev.weft.CancelledException}; the stream is then after a prefix of the range (treat
     * the connection as broken, as after a cancelled write-all).
     *
     * <p>On the io_uring driver the bytes are read with {@link AsyncFile#readAt} into a native
     * 64 KiB buffer and sent from it by an owned write: the kernel copies into the buffer and out
     * of it, Java never touches the bytes, and no pool thread is used.
     */
    public long sendFile(AsyncFile file, long position, long count) throws IOException {
        if (!(socket instanceof NioStreamSocket)) {
            checkRange(file, position, count);
            IoBuf buf = IoBuf.allocateDirect((int) Math.min(65_536, Math.max(1, count)));
            long sent = 0;
            while (sent < count) {
                buf.clear().limit((int) Math.min(buf.capacity(), count - sent));
                int n = file.readAt(buf, position + sent);     // the kernel reads into the native buffer
                if (n < 0) {
                    break;                  // the file ended first
                }
                buf = writeAll(buf.flip()).buf();               // and sends from it: no copy in Java
                sent += n;
            }
            return sent;
        }
        if (stage != null) {
            stage.flush();              // bytes committed before go first: transferTo writes to the channel itself
        }
        SendFileOp op = sendFileOp(file, position, count);
        try {
            return Blocking.await(op);
        } catch (dev.weft.CancelledException cancelled) {
            PoolCalls.awaitShielded(op.lastCall());
            throw cancelled;
        }
    }

    /**
     * Future form of {@link #sendFile}. Each poll sends what the socket takes, through a
     * {@code transferTo} on the blocking pool. Cancelling it skips a call not started yet; a call
     * already running finishes on its pool thread (it is never interrupted, so the file stays
     * open), so the stream is after a prefix of the range, perhaps longer than when it was
     * cancelled: treat the connection as broken, as after a cancelled write-all. On io_uring,
     * {@link AsyncFile#readAtFuture} reads each 64 KiB chunk (the kernel reads into the
     * operation's own memory, copied once into a native buffer) and an owned write sends it from
     * there (no pool thread).
     */
    public Future<Long> sendFileFuture(AsyncFile file, long position, long count) {
        if (!(socket instanceof NioStreamSocket)) {
            checkRange(file, position, count);
            return sendFileByReads(file, position, count);
        }
        SendFileOp op = sendFileOp(file, position, count);
        BufWriter staged = stage;
        if (staged == null) {
            return op;
        }
        return new Future<>() {         // bytes committed before go first: transferTo writes to the channel itself
            private boolean flushed;

            @Override
            public Poll<Long> poll(Context cx) {
                if (!flushed) {
                    if (!staged.pollFlush(cx)) {
                        return Poll.pending();
                    }
                    flushed = true;
                }
                return op.poll(cx);
            }

            @Override
            public void drop() {
                op.drop();
            }
        };
    }

    /**
     * {@link #sendFileFuture} on a driver without {@code transferTo} (io_uring): file reads into a
     * native buffer, each sent by an owned write of that buffer. Dropped, it drops the read or the
     * write in flight (their memory stays with them until the kernel lets go).
     */
    private Future<Long> sendFileByReads(AsyncFile file, long position, long count) {
        return new Future<>() {
            private IoBuf buf = IoBuf.allocateDirect((int) Math.min(65_536, Math.max(1, count)));
            private long sent;
            private int chunk;
            private Future<Integer> reading;
            private Future<WriteResult> writing;

            @Override
            public Poll<Long> poll(Context cx) {
                for (;;) {
                    if (writing != null) {
                        Poll<WriteResult> w = writing.poll(cx);
                        if (w.isPending()) {
                            return Poll.pending();
                        }
                        writing = null;
                        buf = w.value().buf();
                        sent += chunk;
                    }
                    if (sent >= count) {
                        return Poll.ready(sent);
                    }
                    if (reading == null) {
                        buf.clear().limit((int) Math.min(buf.capacity(), count - sent));
                        reading = file.readAtFuture(buf, position + sent);
                    }
                    Poll<Integer> r = reading.poll(cx);
                    if (r.isPending()) {
                        return Poll.pending();
                    }
                    reading = null;
                    if (r.value() < 0) {
                        return Poll.ready(sent);        // the file ended first
                    }
                    chunk = r.value();
                    writing = writeAllOwned(buf.flip());
                }
            }

            @Override
            public void drop() {
                if (reading != null) {
                    reading.drop();
                }
                if (writing != null) {
                    writing.drop();
                }
            }

            @Override
            public String toString() {
                return "sendFile(" + file + " @" + position + ", " + sent + " of " + count + " bytes sent)";
            }
        };
    }

    private static void checkRange(AsyncFile file, long position, long count) {
        Objects.requireNonNull(file, "file");
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("position and count must be >= 0, got " + position + " and " + count);
        }
    }

    private SendFileOp sendFileOp(AsyncFile file, long position, long count) {
        checkRange(file, position, count);
        if (!(socket instanceof NioStreamSocket nio)) {
            throw new UnsupportedOperationException("sendFileFuture needs a stream on the NIO driver "
                    + "(FileChannel.transferTo on the blocking pool); this one is on " + socket.getClass().getSimpleName()
                    + ". Use sendFile from a sequential task, which copies on this driver");
        }
        return new SendFileOp(file, nio.channel(), nio.registration(), position, count);
    }

    // ------------------------------------------------------------------ java.net-style

    /** The bytes of this connection as a blocking {@link InputStream}, for a sequential task. */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                return len == 0 ? 0 : readInto(IoBuf.wrap(b, off, len));
            }

            @Override
            public void close() {
                TcpStream.this.close();
            }
        };
    }

    /** This connection as a blocking {@link OutputStream}, for a sequential task (unbuffered). */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                Io.writeAll(TcpStream.this, IoBuf.wrap(b, off, len));
            }

            @Override
            public void close() {
                TcpStream.this.close();
            }
        };
    }

    // ------------------------------------------------------------------ options and lifecycle

    /** Disables (true, the default here) or enables Nagle's algorithm. */
    public TcpStream setNoDelay(boolean on) throws IOException {
        socket.setNoDelay(on);
        return this;
    }

    /** Enables TCP keep-alive probes. */
    public TcpStream setKeepAlive(boolean on) throws IOException {
        socket.setKeepAlive(on);
        return this;
    }

    /** Half-closes the read side: further reads see end-of-stream. */
    public void shutdownInput() throws IOException {
        socket.shutdownInput();
    }

    /** Half-closes the write side: the peer reads end-of-stream after what was written. */
    @Override
    public void shutdownOutput() throws IOException {
        if (stage != null) {
            stage.flush();
        }
        socket.shutdownOutput();
    }

    /**
     * Closes with a reset (RST) instead of an orderly close: for a peer that misbehaves, so the
     * kernel drops its unread data at once.
     */
    public void abort() {
        socket.abort();
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) socket.localAddress();
    }

    public InetSocketAddress remoteAddress() throws IOException {
        return (InetSocketAddress) socket.remoteAddress();
    }

    public boolean isOpen() {
        return socket.isOpen();
    }

    /** Closes the connection; a task waiting on it gets an error. Idempotent. */
    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        try {
            return "TcpStream[" + (isOpen() ? localAddress() + " -> " + remoteAddress() : "closed") + "]";
        } catch (IOException e) {
            return "TcpStream[?]";
        }
    }
}
