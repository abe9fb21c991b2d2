package dev.weft.uring.internal;

import dev.weft.Context;
import dev.weft.Waker;
import dev.weft.Weft;
import dev.weft.internal.SpinLock;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.AsyncBufWrite;
import dev.weft.io.BufIOException;
import dev.weft.io.OwnedIo;
import dev.weft.io.ReadResult;
import dev.weft.io.WriteResult;
import dev.weft.io.spi.KernelLoans;
import dev.weft.io.AsyncRead;
import dev.weft.io.IoBuf;
import dev.weft.io.spi.Reservation;
import dev.weft.io.spi.StreamSocket;
import dev.weft.spi.Coop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * A TCP connection on io_uring, serving the readiness traits from the socket's own buffers.
 *
 * <p><b>Reads.</b> The kernel receives into this socket's 64 KiB receive buffer ({@code RECV}), never
 * into a caller's buffer; a read copies out what is there, else starts a receive (if none is in
 * flight) and returns pending. A reader that gives up (cancelled, timed out, lost a select) leaves
 * the receive in flight: what lands is returned by the next read, so nothing is lost and no
 * caller's memory is ever written after its call ended.
 *
 * <p><b>Writes.</b> A write copies into the 64 KiB send buffer and returns its count; the buffer is
 * sent by {@code SEND} operations ({@code MSG_NOSIGNAL}), the next one started from the previous
 * one's completion, until it is empty. A full buffer makes the writer wait; {@link #pollFlush}
 * waits until the kernel took everything. A send error is thrown from the next write or flush.
 *
 * <p><b>Writing in place</b> ({@link AsyncBufWrite}): a reservation is a view of the send buffer's
 * free end; its commit makes the bytes part of the buffer and starts a send, so an encoder's bytes
 * go to the kernel from where they were written. A view outlives neither its commit nor the next
 * write; while one is out, the buffer is neither moved nor freed (a close defers the free to the
 * commit), so a writer racing a close never writes into freed memory.
 *
 * <p><b>Close.</b> Cancels the receive, lets the send buffer drain (or cancels it too, on
 * {@link #abort()}), and closes the descriptor only once no operation on it is in flight.
 *
 * <h2>Implementation notes</h2>
 * The buffers' indices, the operations in flight, the wakers and the error and close states are
 * guarded by {@link #lock} (a spin lock: the reader, the writer and the driver's reaping thread
 * take it for a few field updates each). Operations are submitted and wakers woken after it is
 * released. The buffers are native memory ({@link Native}), freed once the descriptor is closed and
 * no operation is in flight.
 */
final class UringStreamSocket implements StreamSocket, AsyncBufWrite, UringDriver.OpenSocket {
    static final int BUFFER = 64 * 1024;

    private final UringDriver driver;
    private final int fd;
    private final SpinLock lock = new SpinLock();
    private final MemorySegment rbuf;
    private final MemorySegment wbuf;
    // guarded by lock
    private int rStart;
    private int rEnd;
    private UringOp recvOp;
    private UringOp ownedRecv;      // a receive into a caller's buffer (readOwned); no other receive starts meanwhile
    private Object unclaimed;       // an owned receive that completed and whose reader has not taken it: same rule
    private boolean eof;
    private IOException readError;
    private Waker readWaker;
    private int wStart;
    private int wEnd;
    private UringOp sendOp;
    private IOException writeError;
    private Waker writeWaker;
    private IoBuf reserved;         // the view lent by pollReserve over wbuf[wEnd, BUFFER)
    private boolean closing;
    private boolean fdClosed;
    private boolean buffersFreed;

    UringStreamSocket(UringDriver driver, int fd) {
        this.driver = driver;
        this.fd = fd;
        this.rbuf = Native.allocate(BUFFER);
        this.wbuf = Native.allocate(BUFFER);
    }

    /** A connected or accepted descriptor: no-delay on; closed with the driver if nobody closes it. */
    static UringStreamSocket of(UringDriver driver, int fd) {
        try {
            Sys.setsockoptInt(fd, Sockaddr.IPPROTO_TCP, Sockaddr.TCP_NODELAY, 1);
        } catch (ErrnoException e) {
            // not fatal: the stream works without it
        }
        UringStreamSocket s = new UringStreamSocket(driver, fd);
        driver.opened(s);
        return s;
    }

    /** The runtime is closing: its operations were cancelled; the descriptor closes now. */
    @Override
    public void closeForShutdown() {
        boolean closeNow;
        Waker r;
        Waker w;
        lock.lock();
        try {
            closing = true;
            closeNow = !fdClosed;
            fdClosed = true;
            if (recvOp == null && sendOp == null && ownedRecv == null) {
                freeBuffersLocked();        // else an operation the kernel never finished may still use them: left
            }
            r = readWaker;
            w = writeWaker;
            readWaker = null;
            writeWaker = null;
        } finally {
            lock.unlock();
        }
        if (closeNow) {
            UringSockets.closeQuietly(fd);
        }
        UringSockets.wake(r, this);
        UringSockets.wake(w, this);
    }


    // ------------------------------------------------------------------ reads

    @Override
    public int pollRead(Context cx, IoBuf dst) {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (!Coop.proceed(cx)) {
            return AsyncRead.PENDING;
        }
        UringOp start = null;
        lock.lock();
        try {
            int n = takeBufferedLocked(dst);
            if (n > 0) {
                return n;
            }
            if (readError != null) {
                throw new UncheckedIOException(readError);
            }
            if (eof) {
                return AsyncRead.EOF;
            }
            if (closing) {
                throw new UncheckedIOException(new ClosedChannelException());
            }
            readWaker = cx.waker();
            if (recvOp == null && ownedRecv == null && unclaimed == null) {     // an owned receive's bytes come first
                start = recvOp = new UringOp(driver, Opcode.RECV, fd, rbuf.address(), BUFFER, 0, 0, "recv", null)
                        .onComplete(this::received);
            }
        } finally {
            lock.unlock();
        }
        if (start != null) {
            start.submitOrFail();
            // The receive may have completed inside the submit (data was waiting): take it now.
            lock.lock();
            try {
                int n = takeBufferedLocked(dst);
                if (n > 0) {
                    return n;
                }
                if (eof && readError == null) {
                    return AsyncRead.EOF;
                }
            } finally {
                lock.unlock();
            }
        }
        return AsyncRead.PENDING;
    }

    /** Copies what the receive buffer holds into {@code dst}: the count, 0 if it holds nothing. */
    private int takeBufferedLocked(IoBuf dst) {
        int n = Math.min(rEnd - rStart, dst.remaining());
        if (n <= 0) {
            return 0;
        }
        MemorySegment.copy(rbuf, rStart, dst.segment(), dst.position(), n);
        dst.advance(n);
        driver.copied(n);
        rStart += n;
        if (rStart == rEnd) {
            rStart = 0;
            rEnd = 0;
        }
        return n;
    }

    private void received(int res) {
        Waker w;
        boolean closeNow;
        lock.lock();
        try {
            recvOp = null;
            if (res > 0) {
                rStart = 0;
                rEnd = res;
            } else if (res == 0) {
                eof = true;
            } else if (!closing) {
                readError = UringSockets.error(-res, "recv");
            }
            w = readWaker;
            readWaker = null;
            closeNow = readyToCloseLocked();
        } finally {
            lock.unlock();
        }
        afterUnlock(w, closeNow);
    }

    // ------------------------------------------------------------------ writes

    @Override
    public int pollWrite(Context cx, IoBuf src) {
        if (!src.hasRemaining()) {
            return 0;
        }
        if (!Coop.proceed(cx)) {
            return AsyncRead.PENDING;
        }
        UringOp start = null;
        int n;
        lock.lock();
        try {
            int space = roomLocked(cx, 1);
            if (space < 0) {
                return AsyncRead.PENDING;
            }
            n = Math.min(space, src.remaining());
            MemorySegment.copy(src.segment(), src.position(), wbuf, wEnd, n);
            wEnd += n;
            if (sendOp == null) {
                start = sendOp = sendLocked();
            }
        } finally {
            lock.unlock();
        }
        src.advance(n);
        driver.copied(n);
        if (start != null) {
            start.submitOrFail();
        }
        return n;
    }

    /**
     * For a writer that needs {@code min} bytes: ends any reservation, throws the write error (or
     * closed), and returns the free room at the send buffer's end, or -1 after storing the waker
     * (the buffer drains by sends).
     */
    private int roomLocked(Context cx, int min) {
        expireLocked();
        if (writeError != null) {
            throw new UncheckedIOException(writeError);
        }
        if (closing) {
            throw new UncheckedIOException(new ClosedChannelException());
        }
        if (wStart == wEnd) {
            wStart = 0;
            wEnd = 0;
        }
        int space = BUFFER - wEnd;
        if (space < min) {
            writeWaker = cx.waker();
            return -1;
        }
        return space;
    }

    // ------------------------------------------------------------------ writing in place

    @Override
    public IoBuf pollReserve(Context cx, int min) {
        if (min < 1 || min > BUFFER) {
            throw new IllegalArgumentException("pollReserve(" + min + "): an io_uring stream lends 1 to " + BUFFER
                    + " bytes of its send buffer; write larger data with pollWrite or an owned write");
        }
        if (!Coop.proceed(cx)) {
            return null;
        }
        lock.lock();
        try {
            if (roomLocked(cx, min) < 0) {
                return null;
            }
            reserved = Reservation.open(wbuf.asSlice(wEnd, BUFFER - wEnd));
            return reserved;
        } finally {
            lock.unlock();
        }
    }

    /** The committed bytes join the send buffer and a send starts; after a close they are dropped (flush reports it). */
    @Override
    public void commit(int n) {
        UringOp start = null;
        boolean sent = false;
        lock.lock();
        try {
            Reservation.checkCommit(reserved, n);
            expireLocked();
            if (n > 0 && !closing && writeError == null) {
                wEnd += n;
                sent = true;
                if (sendOp == null) {
                    start = sendOp = sendLocked();
                }
            } else if (n > 0 && writeError == null) {
                writeError = new IOException(n + " bytes committed after the stream was closed were not sent",
                        new ClosedChannelException());
            }
        } finally {
            lock.unlock();
        }
        if (sent) {
            driver.inPlace(n);
        }
        if (start != null) {
            start.submitOrFail();
        }
    }

    @Override
    public int maxReserve() {
        return BUFFER;
    }

    private void expireLocked() {
        if (reserved == null) {
            return;
        }
        Reservation.expire(reserved);
        reserved = null;
        if (fdClosed && recvOp == null && sendOp == null && ownedRecv == null) {
            freeBuffersLocked();        // closed while the reservation was out: the free waited for it
        }
    }

    private UringOp sendLocked() {
        return new UringOp(driver, Opcode.SEND, fd, wbuf.address() + wStart, wEnd - wStart, 0, Sockaddr.MSG_NOSIGNAL,
                "send", null).onComplete(this::sent);
    }

    private void sent(int res) {
        Waker w;
        UringOp next = null;
        boolean closeNow;
        lock.lock();
        try {
            sendOp = null;
            if (res > 0) {
                wStart += res;
                if (wStart == wEnd && reserved == null) {      // a reservation holds wEnd where it is
                    wStart = 0;
                    wEnd = 0;
                }
            } else if (res < 0 && writeError == null) {
                writeError = res == -Errno.ECANCELED && closing ? new ClosedChannelException() : UringSockets.error(-res, "send");
                wStart = wEnd;      // what is left cannot be sent
            }
            if (wStart < wEnd && writeError == null) {
                next = sendOp = sendLocked();
            }
            w = writeWaker;
            writeWaker = null;
            closeNow = readyToCloseLocked();
        } finally {
            lock.unlock();
        }
        if (next != null) {
            next.submitOrFail();
        }
        afterUnlock(w, closeNow);
    }

    /** True once the kernel took every byte written. */
    @Override
    public boolean pollFlush(Context cx) {
        lock.lock();
        try {
            expireLocked();
            if (writeError != null) {
                throw new UncheckedIOException(writeError);
            }
            if (wStart == wEnd && sendOp == null) {
                return true;
            }
            writeWaker = cx.waker();
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean pollShutdown(Context cx) {
        if (!pollFlush(cx)) {
            return false;
        }
        try {
            Sys.shutdown(fd, Sockaddr.SHUT_WR);
            return true;
        } catch (ErrnoException e) {
            throw new UncheckedIOException(UringSockets.error(e.errno(), "shutdown"));
        }
    }

    // ------------------------------------------------------------------ owned reads and writes, no copy

    /**
     * A receive straight into {@code buf} when its memory may be lent to the kernel
     * ({@link KernelLoans}); else the copying form. Bytes already in the stream's buffer are
     * returned first (copied); a receive into the stream's buffer in flight is waited for.
     */
    @Override
    public Future<ReadResult> readOwned(IoBuf buf) {
        OwnedRecv recv = new OwnedRecv(buf);            // made while the buffer is still the caller's
        return recv.len > 0 && KernelLoans.lend(buf, true) ? recv : OwnedIo.readVia(this, buf);
    }

    /** A send straight from {@code buf}'s memory when it may be lent; after the bytes written before it. */
    @Override
    public Future<WriteResult> writeOwned(IoBuf buf) {
        return send(buf, false);
    }

    @Override
    public Future<WriteResult> writeAllOwned(IoBuf buf) {
        return send(buf, true);
    }

    private Future<WriteResult> send(IoBuf buf, boolean all) {
        OwnedSend send = new OwnedSend(buf, all);        // made while the buffer is still the caller's
        if (send.lim > send.pos && KernelLoans.lend(buf, false)) {
            return send;
        }
        return all ? OwnedIo.writeAllVia(this, buf) : OwnedIo.writeVia(this, buf);
    }

    private IOException failure(int res, String call) {
        return res == -Errno.ECANCELED && closing ? new ClosedChannelException() : UringSockets.error(-res, call);
    }

    /**
     * What an owned receive and an owned send share: the caller's buffer lent to the kernel
     * ({@link KernelLoans}), the operation, and its end. State under the socket's lock: {@code op}
     * once submitted, {@code landed} once its terminal CQE came, {@code finished} once the result
     * was handed out or the future dropped. The buffer goes back exactly once: to the caller
     * ({@link #handBackLocked}) or, dropped, to its pool at once or at the terminal CQE.
     */
    private abstract class OwnedOp<R> implements Future<R> {
        final IoBuf buf;
        final MemorySegment mem;
        final int pos;
        UringOp op;
        boolean landed;
        int res;
        boolean finished;
        Waker waker;
        Waker wakeAfter;                // someone to wake once the lock is released (guarded by it)

        /** Before the buffer is lent: its memory and position are read through the caller's handle. */
        OwnedOp(IoBuf buf) {
            this.buf = buf;
            this.mem = buf.segment();
            this.pos = buf.position();
        }

        /** Under the lock: dropped after its CQE, with a result nobody will take. */
        void abandonLandedLocked() { }

        /** The operation ends here: the buffer is the caller's again, its position after the {@code moved} bytes. */
        void handBackLocked(int moved) {
            finished = true;
            waker = null;
            KernelLoans.giveBack(buf);
            buf.position(pos + moved);
        }

        /** The failure to throw, carrying the buffer (handed back first). */
        UncheckedIOException carrying(IOException e) {
            return new UncheckedIOException(e.getMessage(), new BufIOException(e, buf));
        }

        /** Releases the socket's lock, then wakes whoever {@link #wakeAfter} names. */
        void unlockAndWake() {
            Waker w = wakeAfter;
            wakeAfter = null;
            lock.unlock();
            UringSockets.wake(w, UringStreamSocket.this);
        }

        @Override
        public final void drop() {
            UringOp cancel = null;
            boolean forfeitNow = false;
            lock.lock();
            try {
                if (finished) {
                    return;
                }
                finished = true;
                if (op == null) {
                    forfeitNow = true;
                } else if (landed) {
                    abandonLandedLocked();
                    forfeitNow = true;
                } else {
                    cancel = op;                // the terminal CQE forfeits the buffer
                }
            } finally {
                unlockAndWake();
            }
            if (forfeitNow) {
                KernelLoans.forfeit(buf);
            }
            if (cancel != null) {
                cancel.drop();
            }
        }
    }

    /**
     * A receive into a caller's buffer. A drop before the CQE cancels; the CQE then keeps what
     * landed in the stream's buffer (the next read returns it first).
     */
    private final class OwnedRecv extends OwnedOp<ReadResult> {
        private final int len;
        private final Object owner;     // the buffer's pool, for a registered buffer's index
        private UringOp toStart;        // set by pollLocked: the receive to submit once unlocked

        OwnedRecv(IoBuf buf) {
            super(buf);
            this.owner = KernelLoans.poolOf(buf);
            this.len = buf.remaining();
        }

        @Override
        public Poll<ReadResult> poll(Context cx) {
            UringOp start;
            Poll<ReadResult> result;
            lock.lock();
            try {
                if (finished) {
                    throw new IllegalStateException("this owned read has completed");
                }
                result = pollLocked(cx);
                start = toStart;
                toStart = null;
            } finally {
                unlockAndWake();
            }
            if (start == null) {
                return result;
            }
            start.submitOrFail();
            lock.lock();
            try {
                return landed && !finished ? finishLocked() : Poll.pending();     // completed inside the submit
            } finally {
                unlockAndWake();
            }
        }

        /** The poll under the lock; a receive to submit once unlocked is left in {@link #toStart}. */
        private Poll<ReadResult> pollLocked(Context cx) {
            if (op != null) {
                if (landed) {
                    return finishLocked();
                }
                waker = cx.waker();
                return Poll.pending();
            }
            if (rStart < rEnd) {            // bytes already received come first
                handBackLocked(0);
                return Poll.ready(new ReadResult(takeBufferedLocked(buf), buf));
            }
            if (readError != null || eof || closing) {
                handBackLocked(0);
                if (readError != null || closing) {
                    throw carrying(readError != null ? readError : new ClosedChannelException());
                }
                return Poll.ready(new ReadResult(AsyncRead.EOF, buf));
            }
            if (recvOp != null || ownedRecv != null || unclaimed != null || !Coop.proceed(cx)) {
                readWaker = cx.waker();     // woken by that receive's completion (or at once: budget)
                return Poll.pending();
            }
            int fixed = driver.fixedIndex(owner, mem.address() + pos, len);
            UringOp start;
            if (fixed >= 0) {               // a registered buffer: a read(2) of the socket, the buffer pinned once
                start = UringOp.readOrWrite(driver, true, fd, owner, mem.address() + pos, len, 0,
                        "read into a registered buffer", null);
            } else {
                start = new UringOp(driver, Opcode.RECV, fd, mem.address() + pos, len, 0, 0,
                        "recv into a caller's buffer", null);
            }
            op = ownedRecv = toStart = start.onComplete(this::landed);
            waker = cx.waker();
            return Poll.pending();
        }

        private Poll<ReadResult> finishLocked() {
            releaseClaimLocked();
            handBackLocked(Math.max(res, 0));
            if (res > 0) {
                driver.inPlace(res);
                return Poll.ready(new ReadResult(res, buf));
            }
            if (res == 0) {
                eof = true;
                return Poll.ready(new ReadResult(AsyncRead.EOF, buf));
            }
            IOException e = failure(res, "recv");
            if (!closing) {
                readError = e;
            }
            throw carrying(e);
        }

        /** The terminal CQE, on the reaping thread. */
        private void landed(int result) {
            Waker w;
            Waker r;
            boolean dropped;
            boolean closeNow;
            lock.lock();
            try {
                ownedRecv = null;
                res = result;
                landed = true;
                dropped = finished;
                if (dropped) {
                    keepLandedLocked();
                } else {
                    unclaimed = this;           // its bytes come before any other read's: they wait for its poller
                }
                w = waker;
                waker = null;
                r = readWaker;
                readWaker = null;
                closeNow = readyToCloseLocked();
            } finally {
                lock.unlock();
            }
            if (dropped) {
                KernelLoans.forfeit(buf);
            }
            UringSockets.wake(w, UringStreamSocket.this);
            afterUnlock(r, closeNow);
        }

        /** The read was abandoned after bytes landed in the caller's buffer: the stream keeps them. */
        private void keepLandedLocked() {
            if (res > 0 && !buffersFreed) {
                MemorySegment.copy(mem, pos, rbuf, 0, res);    // the stream's buffer is empty: nothing else received meanwhile
                rStart = 0;
                rEnd = res;
                driver.copied(res);
            } else if (res == 0) {
                eof = true;
            } else if (res < 0 && res != -Errno.ECANCELED && !closing) {
                readError = failure(res, "recv");
            }
        }

        @Override
        void abandonLandedLocked() {
            keepLandedLocked();                 // completed, never taken: the stream keeps its bytes
            releaseClaimLocked();
        }

        /** This read no longer holds the stream's reads back: the reader waiting behind it is woken (after unlock). */
        private void releaseClaimLocked() {
            if (unclaimed == this) {
                unclaimed = null;
                wakeAfter = readWaker;
                readWaker = null;
            }
        }

        @Override
        public String toString() {
            return "readOwned(io_uring fd " + fd + ", " + len + " bytes" + (finished ? ", done" : "") + ")";
        }
    }

    /**
     * A send from a caller's buffer (all of it, for {@code all}), after the bytes written before it.
     * It takes the stream's send slot ({@code sendOp}), so later writes wait behind it. A drop
     * before the terminal CQE cancels; the CQE then forfeits the buffer (a prefix may have gone out:
     * the connection's output is broken, as after any cancelled write).
     */
    private final class OwnedSend extends OwnedOp<WriteResult> {
        private final int lim;
        private final boolean all;
        private int written;

        OwnedSend(IoBuf buf, boolean all) {
            super(buf);
            this.lim = buf.limit();
            this.all = all;
        }

        @Override
        public Poll<WriteResult> poll(Context cx) {
            for (;;) {
                UringOp start;
                lock.lock();
                try {
                    if (finished) {
                        throw new IllegalStateException("this owned write has completed");
                    }
                    if (op != null) {
                        if (!landed) {
                            waker = cx.waker();
                            return Poll.pending();
                        }
                        op = null;
                        if (res < 0) {
                            handBackLocked(written);
                            throw carrying(failure(res, "send"));
                        }
                        written += res;
                        driver.inPlace(res);
                        if (!all || pos + written == lim) {
                            handBackLocked(written);
                            if (all) {
                                buf.clear();
                            }
                            return Poll.ready(new WriteResult(written, buf));
                        }
                    }
                    if (writeError != null || closing) {
                        handBackLocked(written);
                        throw carrying(writeError != null ? writeError : new ClosedChannelException());
                    }
                    if (wStart < wEnd || sendOp != null || (written == 0 && !Coop.proceed(cx))) {
                        writeWaker = cx.waker();    // the bytes written before go first (or the budget is spent)
                        return Poll.pending();
                    }
                    expireLocked();
                    start = op = sendOp = newSend(mem.address() + pos + written, lim - pos - written);
                    landed = false;
                    waker = cx.waker();
                } finally {
                    lock.unlock();
                }
                start.submitOrFail();
                lock.lock();
                try {
                    if (!landed || finished) {
                        return Poll.pending();
                    }
                } finally {
                    lock.unlock();
                }
                // completed inside the submit: take its count (and maybe send the rest) now
            }
        }

        /**
         * A {@code SEND} of {@code n} bytes at {@code addr}; at or above the ring's zero-copy
         * threshold a {@code SEND_ZC} (from the registered buffer when it is one), which completes
         * only with its notification CQE, once the kernel let go of the memory: its count is the
         * first CQE's.
         */
        private UringOp newSend(long addr, int n) {
            if (n < driver.zeroCopyThreshold()) {
                return new UringOp(driver, Opcode.SEND, fd, addr, n, 0, Sockaddr.MSG_NOSIGNAL,
                        "send from a caller's buffer", null).onComplete(this::sentOwned);
            }
            UringOp zc = new UringOp(driver, Opcode.SEND_ZC, fd, addr, n, 0, Sockaddr.MSG_NOSIGNAL,
                    "send_zc from a caller's buffer", null);
            int fixed = driver.fixedIndex(KernelLoans.poolOf(buf), addr, n);
            if (fixed >= 0) {
                zc.ioprio = Abi.RECVSEND_FIXED_BUF;
                zc.bufIndex = fixed;
            }
            return zc.onEach(count -> { }).onComplete(notified -> sentOwned(zc.firstMoreOr(notified)));
        }

        /** The terminal CQE, on the reaping thread. */
        private void sentOwned(int result) {
            Waker w;
            Waker ww;
            UringOp next = null;
            boolean dropped;
            boolean closeNow;
            lock.lock();
            try {
                sendOp = null;
                res = result;
                landed = true;
                dropped = finished;
                if (wStart < wEnd && writeError == null) {
                    next = sendOp = sendLocked();       // bytes written meanwhile waited behind this send
                }
                w = waker;
                waker = null;
                ww = writeWaker;
                writeWaker = null;
                closeNow = readyToCloseLocked();
            } finally {
                lock.unlock();
            }
            if (dropped) {
                KernelLoans.forfeit(buf);
            }
            if (next != null) {
                next.submitOrFail();
            }
            UringSockets.wake(w, UringStreamSocket.this);
            afterUnlock(ww, closeNow);
        }

        @Override
        public String toString() {
            return (all ? "writeAllOwned" : "writeOwned") + "(io_uring fd " + fd + ", " + written + " of " + (lim - pos)
                    + " bytes sent" + (finished ? ", done" : "") + ")";
        }
    }

    // ------------------------------------------------------------------ options and lifecycle

    @Override
    public void setNoDelay(boolean on) throws IOException {
        setInt(Sockaddr.IPPROTO_TCP, Sockaddr.TCP_NODELAY, on ? 1 : 0);
    }

    @Override
    public void setKeepAlive(boolean on) throws IOException {
        setInt(Sockaddr.SOL_SOCKET, Sockaddr.SO_KEEPALIVE, on ? 1 : 0);
    }

    private void setInt(int level, int name, int value) throws IOException {
        try {
            Sys.setsockoptInt(fd, level, name, value);
        } catch (ErrnoException e) {
            throw UringSockets.error(e.errno(), "setsockopt");
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        try {
            Sys.shutdown(fd, Sockaddr.SHUT_RD);
        } catch (ErrnoException e) {
            throw UringSockets.error(e.errno(), "shutdown");
        }
    }

    /** Waits (parked) until what was written is sent, then half-closes; from a sequential task. */
    @Override
    public void shutdownOutput() throws IOException {
        try {
            Weft.await(shutdownFuture());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A reset: unsent bytes are dropped, the kernel discards unread data. */
    @Override
    public void abort() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment linger = arena.allocate(8, 4);
            linger.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 1);
            linger.set(java.lang.foreign.ValueLayout.JAVA_INT, 4, 0);
            Sys.setsockopt(fd, Sockaddr.SOL_SOCKET, Sockaddr.SO_LINGER, linger, 8);
        } catch (ErrnoException e) {
            // closing anyway
        }
        close(true);
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return address(false);
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        return address(true);
    }

    private SocketAddress address(boolean peer) throws IOException {
        try {
            return Sockaddr.of(fd, peer);
        } catch (ErrnoException e) {
            throw UringSockets.error(e.errno(), peer ? "getpeername" : "getsockname");
        }
    }

    @Override
    public boolean isOpen() {
        lock.lock();
        try {
            return !closing;
        } finally {
            lock.unlock();
        }
    }

    /** Cancels the receive; what was written is still sent, then the descriptor is closed. Idempotent. */
    @Override
    public void close() {
        close(false);
    }

    private void close(boolean dropUnsent) {
        UringOp recv;
        UringOp send;
        Waker r;
        Waker w;
        boolean closeNow;
        lock.lock();
        try {
            if (closing && !dropUnsent) {
                return;
            }
            closing = true;
            recv = recvOp != null ? recvOp : ownedRecv;
            send = dropUnsent ? sendOp : null;
            r = readWaker;
            w = writeWaker;
            readWaker = null;
            writeWaker = null;
            closeNow = readyToCloseLocked();
        } finally {
            lock.unlock();
        }
        if (recv != null) {
            recv.drop();
        }
        if (send != null) {
            send.drop();
        }
        afterUnlock(r, closeNow);
        UringSockets.wake(w, this);
    }

    /**
     * Closing and nothing in flight: this caller closes the descriptor (once), and the buffers are
     * freed here, under the lock, with their indices emptied (a later read or write sees the
     * socket closed and never touches them).
     */
    private boolean readyToCloseLocked() {
        if (closing && !fdClosed && recvOp == null && sendOp == null && ownedRecv == null) {
            fdClosed = true;
            freeBuffersLocked();
            return true;
        }
        return false;
    }

    private void freeBuffersLocked() {
        rStart = rEnd = 0;
        wStart = wEnd = 0;
        if (!buffersFreed && reserved == null) {       // else the commit frees them
            buffersFreed = true;
            Native.free(rbuf);
            Native.free(wbuf);
        }
    }

    private void afterUnlock(Waker w, boolean closeNow) {
        if (closeNow) {
            driver.closed(this);
            UringSockets.closeQuietly(fd);
        }
        UringSockets.wake(w, this);
    }


    @Override
    public String toString() {
        return UringSockets.describe(fd, isOpen());
    }
}
