package dev.weft.io.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.internal.ExecutionContext;
import dev.weft.io.AsyncIo;
import dev.weft.io.BufPool;
import dev.weft.io.IoBuf;
import dev.weft.io.TlsStream;
import dev.weft.spi.AbstractRuntime;
import dev.weft.spi.Coop;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * {@code Tls.client}, {@code Tls.server}, {@code Tls.wrap}: a {@link TlsStream} over any
 * {@link AsyncIo}, on a JDK {@link SSLEngine}.
 *
 * <p>Three buffers, each taken at first use (from the pool, else the heap): {@code netIn} holds
 * bytes read from below that are not unwrapped yet (a partial record waits there for the rest);
 * {@code appIn} holds decrypted bytes that did not fit the caller's buffer (a read unwraps into
 * the caller's buffer when the record fits, else here); {@code netOut} holds records not yet
 * written below. A read takes bytes from below only into {@code netIn}, so a read dropped while
 * pending (mid-handshake too) loses nothing: the next one goes on from there.
 *
 * <h2>Implementation notes</h2>
 * One reader and one writer may poll at once, and the handshake needs both directions, so the
 * state is split in two halves, each with a token in {@link #state}: {@code IN} guards
 * {@code netIn}, {@code appIn} and the unwrap side; {@code OUT} guards {@code netOut}, wraps and
 * every write, flush and shutdown below. A token is taken by a CAS for the length of one poll,
 * never across a pending return, and no thread ever waits for one: a poll that finds it taken
 * stores its waker, sets {@code WAITERS} and answers pending; the release that clears
 * {@code WAITERS} wakes the stored wakers. In steady state the reader holds only {@code IN} and
 * the writer only {@code OUT}, so they run in parallel (the JDK's engine serializes its own wrap
 * and unwrap, a short CPU section). The handshake is driven by whichever poll comes (read,
 * write, flush, shutdown or {@code handshakeFuture}) holding both tokens.
 *
 * <p>Delegated tasks (the handshake's costly part: certificate checks, which may block in a trust
 * manager, key exchange, signatures) never run on a worker: inside a runtime, the poll that meets
 * {@code NEED_TASK} starts a {@link TlsTaskBatch} on the runtime's blocking pool (an
 * uninterruptible pool task, as {@link PoolCalls}'), polls its task once with {@link #tasksCx},
 * whose waker wakes every role, and answers pending. One batch at a time: it is set and cleared
 * holding both tokens, and every handshake poll first asks whether it ended, and makes no call on
 * the engine until it has (the JDK's engine holds its lock while a task runs: a worker would wait
 * for it). Each role stores its waker before that check, so the batch's end wakes every role that
 * found it running; a poll dropped meanwhile loses nothing: the batch runs on, and the next poll
 * goes on from there. What the engine's tasks find wrong (an untrusted certificate) the engine
 * keeps for its next wrap or unwrap, which throws it as before; what a task throws itself fails
 * the handshake. The batch touches no buffer and no token, so {@link #close()} gives the buffers
 * back at once; it cancels the batch (skipped if no pool thread took it yet, never interrupted),
 * which stops between tasks once the stream is closed or failed. Outside a runtime (a thread
 * polling by hand) the tasks run inline, and so do a post-handshake message's (the JDK's engine
 * delegates none of TLS 1.3's). The engine's mode and placeholder session are read at
 * construction, and {@link #session()} and {@link #applicationProtocol()} ask the engine only
 * after the handshake: no call of this stream's waits for the engine's lock while a batch runs.
 *
 * <p>The stream below is always polled with one of two contexts of this stream's own,
 * {@link #readableCx} and {@link #writableCx}, whose wakers wake the roles (reader, writer,
 * handshake) whose wakers are stored in {@link #slots}: so when the writer drives the handshake
 * and reads from below, and is then dropped, the reader waiting for the handshake is still woken
 * by the bytes that arrive. Each role stores its waker at the start of every poll.
 *
 * <p>A post-handshake message read by the reader that needs an answer (a TLS 1.3 key update, a
 * TLS 1.2 {@code close_notify}'s reply) sets {@link #wrapWanted}; whoever holds {@code OUT}, or
 * takes it when it is free, wraps the answer (a release re-checks the flag, so none is lost). It
 * is written below as far as that goes without waiting, the rest with the next write or flush.
 *
 * <p>Renegotiation: after the first handshake, an unwrap that starts a new handshake on TLS 1.2
 * or older fails the stream ({@link #renegotiationRefused}); on TLS 1.3 the engine's
 * post-handshake messages are answered as above.
 *
 * <p>Failures: an {@link SSLException} from the engine, a truncation or a refused renegotiation
 * is kept in {@link #failure} and thrown by every later poll; the buffers go back to the pool as
 * soon as no poll holds a token ({@code CLOSED} with {@code FREED}, as {@link #close()} does). An
 * error of the stream below passes through and does not fail this stream (a read timeout below
 * leaves it usable).
 */
public final class TlsEngineIo implements TlsStream {
    private static final int IN = 1;
    private static final int OUT = 2;
    private static final int WAITERS = 4;
    private static final int CLOSED = 8;         // closed or failed: no poll takes a token any more
    private static final int FREED = 16;         // the buffers are given back (IN and OUT stay set for good)

    private static final int READ = 0;
    private static final int WRITE = 1;
    private static final int HANDSHAKE = 2;

    private final AsyncIo io;
    private final SSLEngine engine;
    private final BufPool pool;                  // null: heap buffers
    private final String host;                   // the server's name, for messages (null on a server)
    private final boolean client;                // the engine's mode, read once (see the notes on delegated tasks)
    private final SSLSession placeholder;        // the engine's session before the handshake (SSL_NULL_WITH_NULL_NULL)
    private final AtomicInteger state = new AtomicInteger();
    private final AtomicReferenceArray<Waker> slots = new AtomicReferenceArray<>(3);
    private final Context readableCx = new Context(this::onReadable);
    private final Context writableCx = new Context(this::onWritable);
    private final Context tasksCx = new Context(this::wakeAll);   // polls a batch: its end wakes every role

    private volatile boolean handshakeDone;
    private volatile boolean wrapWanted;
    private volatile IOException failure;
    private volatile boolean closed;
    private volatile TlsTaskBatch batch;         // delegated tasks on the blocking pool; set and cleared holding IN and OUT
    private boolean tasksInline;                 // (IN and OUT) a batch was cancelled before it ran: the runtime closes

    // Guarded by IN (and both tokens during the handshake).
    private IoBuf netIn;                         // read mode: position..limit are bytes not unwrapped yet
    private IoBuf appIn;                         // read mode: decrypted bytes not returned yet
    private boolean inboundDone;                 // the peer's close_notify was read
    private final ByteBuffer noApp = ByteBuffer.allocate(0);

    // Guarded by OUT (and both tokens during the handshake).
    private IoBuf netOut;                        // read mode: records not written below yet
    private boolean begun;                       // beginHandshake called
    private volatile boolean outputShut;         // shutdownOutput began (set before closeOutbound; read by the reader)
    private boolean belowShut;                   // the stream below is half-closed
    private final ByteBuffer noSrc = ByteBuffer.allocate(0);

    public TlsEngineIo(AsyncIo io, SSLEngine engine, BufPool pool, String host) {
        this.io = io;
        this.engine = engine;
        this.pool = pool;
        this.host = host;
        this.client = engine.getUseClientMode();
        this.placeholder = engine.getSession();
        if (pool != null) {
            int need = engine.getSession().getPacketBufferSize();
            if (pool.bufferSize() < need) {
                throw new IllegalArgumentException("BufPool '" + pool.name() + "' has buffers of " + pool.bufferSize()
                        + " bytes, but a TLS stream needs buffers that hold a whole record: at least " + need
                        + " bytes (SSLSession.getPacketBufferSize()). Build the pool with BufPool.builder(" + need
                        + ", count), or leave the pool out to use heap buffers");
            }
        }
    }

    // ================================================================ the roles' wakers

    private void onReadable() {
        wake(READ);
        wake(HANDSHAKE);
        if (!handshakeDone) {
            wake(WRITE);
        }
    }

    private void onWritable() {
        wake(WRITE);
        wake(HANDSHAKE);
        if (!handshakeDone) {
            wake(READ);
        }
    }

    private void wake(int role) {
        Waker w = slots.getAndSet(role, null);
        if (w != null) {
            w.wake();
        }
    }

    private void wakeAll() {
        wake(READ);
        wake(WRITE);
        wake(HANDSHAKE);
    }

    // ================================================================ the tokens

    /** Takes the tokens of {@code mask} (all or none); false after arranging a wake when they are free again. */
    private boolean acquire(int mask) {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                throw unusable();
            }
            if ((s & mask) == 0) {
                if (state.compareAndSet(s, s | mask)) {
                    return true;
                }
            } else if ((s & WAITERS) != 0 || state.compareAndSet(s, s | WAITERS)) {
                return false;
            }
        }
    }

    /** Takes the tokens of {@code mask} if free, without arranging any wake. */
    private boolean tryAcquire(int mask) {
        for (;;) {
            int s = state.get();
            if ((s & (mask | CLOSED)) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s | mask)) {
                return true;
            }
        }
    }

    private void release(int mask) {
        for (;;) {
            int s = state.get();
            int n = s & ~mask & ~WAITERS;
            if (state.compareAndSet(s, n)) {
                if ((s & WAITERS) != 0) {
                    wakeAll();
                }
                if ((n & CLOSED) != 0) {
                    freeIfIdle();
                }
                return;
            }
        }
    }

    /** Releases {@code mask}, then answers a post-handshake message the reader asked for meanwhile. */
    private void releaseWithWrap(int mask) {
        release(mask);
        while (wrapWanted && failure == null && tryAcquire(OUT)) {
            boolean sent = false;
            try {
                sent = wrapWanted();
            } catch (SSLException e) {
                failWith(e);
            } catch (UncheckedIOException e) {
                // the stream below failed: the writer hears of it at its next write
            } finally {
                release(OUT);
            }
            if (!sent) {
                return;                          // the stream below is full: the next write or flush goes on
            }
        }
    }

    /** Gives the buffers back once the stream is closed or failed and no poll holds a token. */
    private void freeIfIdle() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) == 0 || (s & (IN | OUT | FREED)) != 0) {
                return;
            }
            if (state.compareAndSet(s, s | FREED | IN | OUT)) {
                netIn = giveBack(netIn);
                appIn = giveBack(appIn);
                netOut = giveBack(netOut);
                return;
            }
        }
    }

    /** Gives {@code buf} back if it is the pool's (one that {@link #grow} made is the heap's). */
    private IoBuf giveBack(IoBuf buf) {
        if (buf != null && pool != null && BufAccess.lease(buf).owner == BufAccess.reclaimer(pool)) {
            pool.give(buf);
        }
        return null;
    }

    private void markClosed() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0 || state.compareAndSet(s, s | CLOSED)) {
                break;
            }
        }
        freeIfIdle();
        wakeAll();
    }

    // ================================================================ buffers

    private IoBuf take(int size) {
        IoBuf b = pool != null && pool.bufferSize() >= size ? pool.take() : IoBuf.allocate(size);
        return b.flip();                         // read mode, empty
    }

    private IoBuf netIn() {
        if (netIn == null) {
            netIn = take(engine.getSession().getPacketBufferSize());
        }
        return netIn;
    }

    private IoBuf appIn() {
        if (appIn == null) {
            appIn = take(engine.getSession().getApplicationBufferSize());
        }
        return appIn;
    }

    private IoBuf netOut() {
        if (netOut == null) {
            netOut = take(engine.getSession().getPacketBufferSize());
        }
        return netOut;
    }

    /** A larger buffer in place of {@code old} (the session allows larger records than it holds), its bytes kept. */
    private IoBuf grow(IoBuf old, int atLeast) {
        IoBuf b = IoBuf.allocate(Math.max(atLeast, old.capacity() * 2));
        b.put(old);
        b.flip();
        giveBack(old);
        return b;
    }

    // ================================================================ reading

    /** True once the handshake is done and this poll holds {@code token}; false: pending (wakers written). */
    private boolean handshakenAndHeld(int token) {
        return (handshakeDone || driveHandshake()) && acquire(token);
    }

    @Override
    public int pollRead(Context cx, IoBuf dst) {
        return pollData(cx, dst, true);
    }

    /**
     * A read ({@code reading}) or a write: the role's waker written first, the handshake driven
     * if it is not done, then the role's token held for the one call that moves the bytes.
     */
    private int pollData(Context cx, IoBuf buf, boolean reading) {
        slots.set(reading ? READ : WRITE, cx.waker());
        checkUsable();
        if (!buf.hasRemaining()) {
            return 0;
        }
        if (!Coop.proceed(cx)) {
            return PENDING;
        }
        int token = reading ? IN : OUT;
        if (!handshakenAndHeld(token)) {
            return PENDING;
        }
        try {
            return reading ? readLocked(buf) : writeLocked(buf);
        } catch (IOException e) {
            throw failWith(e);
        } finally {
            releaseWithWrap(token);
        }
    }

    private int readLocked(IoBuf dst) throws IOException {
        int idle = 0;
        for (;;) {
            if (appIn != null && appIn.hasRemaining()) {
                return dst.put(appIn);
            }
            if (inboundDone) {
                return EOF;
            }
            if (netIn != null && netIn.hasRemaining() && idle < 2) {
                SSLEngineResult r = unwrap(dst.asByteBuffer());
                dst.advance(r.bytesProduced());
                boolean viaAppIn = r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW;
                if (viaAppIn) {
                    r = unwrapIntoAppIn();       // the record does not fit the caller's buffer: appIn, then copied
                }
                switch (r.getStatus()) {
                    case OK -> {
                        afterUnwrap(r);
                        if (r.bytesProduced() > 0 && !viaAppIn) {
                            return r.bytesProduced();
                        }
                        idle = r.bytesConsumed() > 0 || r.bytesProduced() > 0 ? 0 : idle + 1;
                        continue;
                    }
                    case CLOSED -> {
                        inboundDone = true;      // the peer's close_notify: the end of stream
                        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                            wrapWanted = true;   // TLS 1.2 answers it with a close_notify of its own
                        }
                        continue;
                    }
                    case BUFFER_UNDERFLOW -> { }  // a partial record: read the rest
                    default -> throw new SSLException("unexpected result of SSLEngine.unwrap: " + r);
                }
            }
            idle = 0;
            int n = fillNetIn();
            if (n == PENDING) {
                return PENDING;
            }
            if (n == EOF) {
                throw truncated();
            }
        }
    }

    /** Unwraps one record into {@code appIn}, after the bytes it holds; grows it if the record needs more room. */
    private SSLEngineResult unwrapIntoAppIn() throws SSLException {
        for (;;) {
            IoBuf a = appIn();
            a.compact();
            SSLEngineResult r;
            try {
                r = unwrap(a.asByteBuffer());
                a.advance(r.bytesProduced());
            } finally {
                a.flip();
            }
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                return r;
            }
            appIn = grow(a, a.remaining() + engine.getSession().getApplicationBufferSize());
        }
    }

    /** One {@code engine.unwrap} from {@code netIn} into {@code dst}; {@code netIn} advanced by what it consumed. */
    private SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
        IoBuf in = netIn();
        SSLEngineResult r;
        try {
            r = engine.unwrap(in.asByteBuffer(), dst);
        } catch (SSLException e) {
            throw describe(e, in);
        }
        in.advance(r.bytesConsumed());
        return r;
    }

    /** A post-handshake message was unwrapped: answer it (TLS 1.3) or refuse a renegotiation (TLS 1.2 and older). */
    private void afterUnwrap(SSLEngineResult r) throws SSLException {
        HandshakeStatus hs = r.getHandshakeStatus();
        if (hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED
                || hs == HandshakeStatus.NEED_WRAP && outputShut) {
            return;                              // (NEED_WRAP after shutdownOutput: our close_notify, its business)
        }
        if (!"TLSv1.3".equals(engine.getSession().getProtocol())) {
            throw renegotiationRefused();
        }
        runTasks();
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            wrapWanted = true;                   // a key update asks for one back: sent at the release
        }
    }

    /** Reads from below into {@code netIn}: a count, EOF or PENDING. */
    private int fillNetIn() throws SSLException {
        IoBuf in = netIn();
        if (in.remaining() == in.capacity()) {   // a whole buffer and still no complete record
            int need = engine.getSession().getPacketBufferSize();
            if (in.capacity() >= need) {
                throw new SSLException("a TLS record from " + peer() + " is larger than " + in.capacity()
                        + " bytes, more than the session allows (" + need + "): not a TLS peer, or a broken one");
            }
            netIn = in = grow(in, need);
        }
        in.compact();
        try {
            return io.pollRead(readableCx, in);
        } finally {
            in.flip();
        }
    }

    private IOException truncated() {
        int partial = netIn == null ? 0 : netIn.remaining();
        if (partial > 0) {
            return new EOFException("the connection from " + peer() + " ended in the middle of a TLS record (" + partial
                    + " bytes of it came): the data was cut off. The peer or the network closed the connection early");
        }
        return new SSLException("the connection from " + peer() + " ended without a TLS close_notify: the data may have"
                + " been cut off (a truncation). A TLS peer ends its output with close_notify (shutdownOutput(),"
                + " SSLSocket.close()); if this one never does, treat the end of its data as untrusted");
    }

    private SSLException renegotiationRefused() {
        return new SSLException("the peer started a TLS renegotiation (a new handshake after the first, on "
                + engine.getSession().getProtocol() + "): renegotiation is refused by Weft's TLS (it has been the means "
                + "of attacks, and TLS 1.3 removed it). Open a new connection instead, or use TLS 1.3, whose key "
                + "updates are supported");
    }

    // ================================================================ writing

    @Override
    public int pollWrite(Context cx, IoBuf src) {
        return pollData(cx, src, false);
    }

    private int writeLocked(IoBuf src) throws IOException {
        if (outputShut) {
            throw new UncheckedIOException(new IOException("write after shutdownOutput() on " + this
                    + ": its TLS output is closed (close_notify sent)"));
        }
        if (wrapWanted) {
            wrapWanted();
        }
        int total = 0;
        while (src.hasRemaining()) {
            if (netOut().hasRemaining() && !pushOut()) {
                break;                            // the stream below is full: back-pressure
            }
            SSLEngineResult r = wrap(src.asByteBuffer());
            src.advance(r.bytesConsumed());
            total += r.bytesConsumed();
            switch (r.getStatus()) {
                case OK, BUFFER_OVERFLOW -> { }  // overflow: push netOut (above) and wrap again
                case CLOSED -> throw new UncheckedIOException(new IOException("cannot write on " + this + ": its TLS "
                        + "output is closed (" + (engine.isInboundDone() ? "the peer closed the connection with "
                        + "close_notify, which on " + engine.getSession().getProtocol() + " closes both directions"
                        : "the engine closed it") + ")"));
                default -> throw new SSLException("unexpected result of SSLEngine.wrap: " + r);
            }
        }
        pushOut();                               // hand down what the stream below takes now; the rest at the flush
        return total > 0 ? total : PENDING;
    }

    @Override
    public boolean pollFlush(Context cx) {
        slots.set(WRITE, cx.waker());
        checkUsable();
        if (!handshakenAndHeld(OUT)) {
            return false;
        }
        try {
            if (wrapWanted) {
                wrapWanted();
            }
            return pushOut() && io.pollFlush(writableCx);
        } catch (IOException e) {
            throw failWith(e);
        } finally {
            releaseWithWrap(OUT);
        }
    }

    @Override
    public boolean pollShutdown(Context cx) {
        slots.set(WRITE, cx.waker());
        checkUsable();
        if (!handshakenAndHeld(OUT)) {
            return false;
        }
        try {
            if (!outputShut) {
                outputShut = true;
                engine.closeOutbound();
            }
            while (!engine.isOutboundDone()) {
                if (netOut().hasRemaining() && !pushOut()) {
                    return false;
                }
                SSLEngineResult r = wrap(noSrc);
                if (r.bytesProduced() == 0 && r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    break;
                }
            }
            if (!pushOut()) {
                return false;
            }
            if (!belowShut) {
                if (!io.pollShutdown(writableCx)) {
                    return false;
                }
                belowShut = true;
            }
            return true;
        } catch (IOException e) {
            throw failWith(e);
        } finally {
            releaseWithWrap(OUT);
        }
    }

    /**
     * Wraps the answer to a post-handshake message (holding OUT) and hands it down as far as that
     * goes now; false if the stream below could not take the records before it (then the flag
     * stays set for the next write or flush).
     */
    private boolean wrapWanted() throws SSLException {
        wrapWanted = false;
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && !outputShut) {
            if (netOut().hasRemaining() && !pushOut()) {
                wrapWanted = true;
                return false;
            }
            SSLEngineResult r = wrap(noSrc);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED || r.bytesProduced() == 0
                    && r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                break;
            }
        }
        pushOut();
        return true;
    }

    /** One {@code engine.wrap} of {@code src} into {@code netOut}; grows {@code netOut} if an empty one is too small. */
    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        IoBuf out = netOut();
        out.compact();
        SSLEngineResult r;
        try {
            r = engine.wrap(src, out.asByteBuffer());
            out.advance(r.bytesProduced());
        } catch (SSLException e) {
            throw describe(e, null);
        } finally {
            out.flip();
        }
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && !out.hasRemaining()) {
            netOut = grow(out, engine.getSession().getPacketBufferSize());
        }
        return r;
    }

    /** Writes {@code netOut} below; true once it is empty. */
    private boolean pushOut() {
        IoBuf out = netOut;
        while (out != null && out.hasRemaining()) {
            if (io.pollWrite(writableCx, out) == PENDING) {
                return false;
            }
        }
        return true;
    }

    // ================================================================ the handshake

    @Override
    public Future<Void> handshakeFuture() {
        return new Future<>() {
            @Override
            public Poll<Void> poll(Context cx) {
                slots.set(HANDSHAKE, cx.waker());
                checkUsable();
                return handshakeDone || driveHandshake() ? Poll.ready(null) : Poll.pending();
            }

            @Override
            public String toString() {
                return "handshake(" + TlsEngineIo.this + ")";
            }
        };
    }

    @Override
    public boolean isHandshakeDone() {
        return handshakeDone;
    }

    /** Drives the first handshake as far as it goes now, holding both tokens; true once it is done. */
    private boolean driveHandshake() {
        if (!acquire(IN | OUT)) {
            return false;
        }
        boolean done;
        try {
            done = handshakeDone || handshakeLocked();
        } catch (IOException e) {
            sendAlert();
            throw failWith(e);
        } finally {
            release(IN | OUT);
        }
        if (done) {
            wakeAll();                           // the other roles that waited for it
        }
        return done;
    }

    private boolean handshakeLocked() throws IOException {
        if (!begun) {
            begun = true;
            engine.beginHandshake();
        }
        for (;;) {
            if (batch != null && !batchEnded()) {
                return false;                    // not a call on the engine meanwhile: the batch holds its lock
            }
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> startTasks();   // inline, or a batch on the pool that the loop's top waits for
                case NEED_WRAP -> {
                    if (netOut().hasRemaining() && !pushOut()) {
                        return false;
                    }
                    SSLEngineResult r = wrap(noSrc);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        pushOut();
                        throw new SSLHandshakeException("the TLS handshake with " + peer() + " was closed by this side "
                                + "before it finished");
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!pushOut() || !io.pollFlush(writableCx)) {
                        return false;            // our flight goes out before we wait for the answer
                    }
                    SSLEngineResult r = netIn().hasRemaining() ? unwrap(noApp)
                            : new SSLEngineResult(SSLEngineResult.Status.BUFFER_UNDERFLOW, hs, 0, 0);
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        r = unwrapIntoAppIn();   // application data already: kept for the reader
                    }
                    if (r.getStatus() == SSLEngineResult.Status.OK && r.bytesConsumed() == 0 && r.bytesProduced() == 0
                            && engine.getHandshakeStatus() == hs) {
                        r = new SSLEngineResult(SSLEngineResult.Status.BUFFER_UNDERFLOW, hs, 0, 0);   // no progress: read more
                    }
                    switch (r.getStatus()) {
                        case OK, BUFFER_OVERFLOW -> { }
                        case CLOSED -> {
                            inboundDone = true;
                            throw new SSLHandshakeException("the TLS handshake with " + peer() + " failed: the peer "
                                    + "closed the TLS connection (close_notify) before the handshake finished");
                        }
                        case BUFFER_UNDERFLOW -> {
                            int n = fillNetIn();
                            if (n == PENDING) {
                                return false;
                            }
                            if (n == EOF) {
                                throw new SSLHandshakeException("the TLS handshake with " + peer() + " failed: the "
                                        + "connection ended before the handshake finished" + (netIn.hasRemaining()
                                        ? " (in the middle of a record)" : "") + ". The peer may have refused this "
                                        + "side's certificate, protocols or cipher suites (its log says why), or it does "
                                        + "not speak TLS on this port");
                            }
                        }
                        default -> throw new SSLException("unexpected result of SSLEngine.unwrap: " + r);
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    if (!pushOut() || !io.pollFlush(writableCx)) {
                        return false;            // the last flight (a client's Finished) must go out
                    }
                    handshakeDone = true;
                    return true;
                }
                default -> throw new SSLException("unexpected handshake status of SSLEngine: " + hs);
            }
        }
    }

    /**
     * The handshake's delegated tasks (holding both tokens): inside a runtime, a batch on its
     * blocking pool, whose end wakes every role (the loop's top waits for it); else run here.
     */
    private void startTasks() {
        AbstractRuntime rt = tasksInline ? null : ExecutionContext.currentRuntimeOrNull();
        TlsTaskBatch b = rt == null ? null : TlsTaskBatch.start(rt, engine, () -> closed || failure != null, tasksCx);
        if (b != null) {
            batch = b;
        } else {
            runTasks();
        }
    }

    /**
     * Whether the batch in flight ended (holding both tokens): if so it is cleared, and what a task
     * threw fails the handshake; if not, its end wakes every role. (A task that fails the handshake
     * in the JDK's engine throws nothing here: the engine keeps the error for its next wrap or
     * unwrap, which throws it as before, described by {@link #describe}.)
     */
    private boolean batchEnded() throws SSLHandshakeException {
        TlsTaskBatch b = batch;
        if (!b.isDone()) {
            return false;
        }
        batch = null;
        Throwable thrown = b.thrown();
        if (thrown != null) {
            throw new SSLHandshakeException("the TLS handshake with " + peer() + " failed: a delegated task of the "
                    + "SSLEngine threw " + thrown, thrown);
        }
        if (!b.started()) {
            tasksInline = true;                  // cancelled before a pool thread took it: the runtime is closing
        }
        return true;
    }

    /** The engine's delegated tasks, run inline on this thread. */
    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** After a handshake failure (holding OUT): hands down the alert the engine made, once, if the stream below takes it now. */
    private void sendAlert() {
        try {
            for (int i = 0; i < 4 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
                if (wrap(noSrc).bytesProduced() == 0) {
                    break;
                }
            }
            pushOut();
            io.pollFlush(writableCx);
        } catch (IOException | RuntimeException e) {
            // best effort: the handshake's own failure is what the caller hears about
        }
    }

    // ================================================================ errors

    /**
     * The engine's exception with what it means and what to do about it, for the common cases:
     * an untrusted certificate, a host name it does not hold, no common protocol, bytes that are
     * not TLS (shown). The engine's own exception is the cause; the type stays (a handshake
     * failure is an {@link SSLHandshakeException}).
     */
    private SSLException describe(SSLException e, IoBuf in) {
        String m = String.valueOf(e.getMessage());
        boolean handshake = e instanceof SSLHandshakeException;
        String what;
        if (in != null && in.hasRemaining() && !looksLikeTls(in)) {
            int n = Math.min(in.remaining(), 24);
            byte[] head = new byte[n];
            in.get(in.position(), head, 0, n);
            StringBuilder shown = new StringBuilder();
            for (byte x : head) {
                int c = x & 0xff;
                shown.append(c == '\r' ? "\\r" : c == '\n' ? "\\n" : c >= 32 && c < 127 ? String.valueOf((char) c)
                        : String.format("\\x%02x", c));
            }
            what = "the bytes from " + peer() + " are not TLS: a TLS record was expected, they start with \""
                    + shown + "\"" + (isText(head) ? " (text: is the peer speaking a plain-text protocol on this port?)"
                    : "") + " (" + m + ")";
        } else if (m.contains("PKIX path") || m.contains("valid certification path")) {
            what = "the TLS handshake with " + peer() + " failed: its certificate is not trusted, it does not chain "
                    + "to a certificate of this SSLContext's trust managers. Trust its certificate or its CA (a trust "
                    + "store), or check that you reach the right server (" + m + ")";
        } else if (m.contains("subject alternative") || m.contains("No name matching")) {
            what = "the TLS handshake with " + peer() + " failed: its certificate is not valid for the host name "
                    + host + " (it names other hosts). Connect with a name the certificate holds, or give the server "
                    + "a certificate for this name (" + m + ")";
        } else if (m.contains("certificate_unknown") || m.contains("bad_certificate") || m.contains("unknown_ca")) {
            what = "the TLS handshake with " + peer() + " failed: " + (m.contains("Received fatal alert")
                    ? "the peer refused this side's certificate (its log says why)"
                    : "this side refused its certificate (a trust manager of this SSLContext did)") + " (" + m + ")";
        } else if (m.contains("protocol_version") || m.contains("No appropriate protocol")
                || m.contains("no cipher suites in common")) {
            what = "the TLS handshake with " + peer() + " failed: the two sides share no protocol version or cipher "
                    + "suite; compare SSLParameters.getProtocols() and getCipherSuites() of both (" + m + ")";
        } else if (handshake) {
            what = "the TLS handshake with " + peer() + " failed: " + m;
        } else {
            what = "TLS with " + peer() + " failed: " + m;
        }
        return handshake ? new SSLHandshakeException(what, e) : new SSLException(what, e);
    }

    /** A TLS record starts with a content type (20 to 24) and the major version 3. */
    private static boolean looksLikeTls(IoBuf in) {
        int type = in.get(in.position()) & 0xff;
        return type >= 20 && type <= 24 && (in.remaining() < 2 || in.get(in.position() + 1) == 3);
    }

    private static boolean isText(byte[] head) {
        if (head.length == 0) {
            return false;
        }
        String s = new String(head, StandardCharsets.ISO_8859_1);
        return s.chars().allMatch(c -> c == '\r' || c == '\n' || c == '\t' || c >= 32 && c < 127);
    }

    /** Records {@code e} as this stream's failure (the first one stays), frees the buffers once idle; the poll's exception. */
    private UncheckedIOException failWith(IOException e) {
        if (failure == null) {
            failure = e;
        }
        markClosed();
        return new UncheckedIOException(failure.getMessage(), failure);
    }

    private void checkUsable() {
        if (failure != null || closed) {
            throw unusable();
        }
    }

    private UncheckedIOException unusable() {
        IOException f = failure;
        if (f != null) {
            return new UncheckedIOException(f.getMessage(), f);
        }
        return new UncheckedIOException(new IOException(this + " is closed"));
    }

    private String peer() {
        return host != null ? host : client ? "the server" : "the client";
    }

    // ================================================================ the rest

    @Override
    public SSLSession session() {
        return handshakeDone ? engine.getSession() : placeholder;   // no engine call mid-handshake: see the notes
    }

    @Override
    public String applicationProtocol() {
        return handshakeDone ? engine.getApplicationProtocol() : null;
    }

    /**
     * Closes the stream below at once (sending nothing: {@code shutdownOutput()} first sends
     * close_notify) and gives the buffers back to the pool, now or when a poll running on
     * another thread lets go of them.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        markClosed();
        TlsTaskBatch b = batch;
        if (b != null) {
            b.cancel();                          // skipped if no pool thread took it yet; never interrupted
        }
        io.close();
    }

    @Override
    public String toString() {
        return "tls(" + (client ? "client of " + peer() : "server") + ", " + io + ")";
    }
}
