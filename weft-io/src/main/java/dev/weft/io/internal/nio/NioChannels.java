package dev.weft.io.internal.nio;

import dev.weft.Context;
import dev.weft.spi.Coop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The poll operations of NIO channels on a {@link NioDriver}: try the non-blocking call; if it
 * would block, register the waker and answer pending. Each operation first spends one unit of
 * the task's {@linkplain Coop cooperative budget}, so a task whose socket always has data still
 * yields.
 *
 * <p>A read that returns less than it asked for has emptied the socket's receive buffer, so the
 * next read of that channel waits for readiness without trying the system call first (as Netty
 * stops reading after a short read): a request/response connection costs one {@code read(2)} per
 * message instead of two. The hint is cleared by the driver when the channel is selected
 * readable; whatever its value, a waiting read is woken by the level-triggered selector when
 * data is there, so the hint only ever saves or costs one select, never a byte.
 *
 * <p>Return codes, as in {@code dev.weft.io.AsyncRead}: a count, {@link #EOF}, or
 * {@link #PENDING}. I/O errors are thrown as {@link UncheckedIOException} (poll methods cannot
 * throw checked exceptions).
 */
public final class NioChannels {
    /** End of stream. */
    public static final int EOF = -1;
    /** Not ready: the context's waker will be woken. */
    public static final int PENDING = -2;

    private NioChannels() { }

    /** Reads into {@code dst}: the count read, {@link #EOF}, or {@link #PENDING}; 0 only if {@code dst} is full. */
    public static int read(Context cx, SocketChannel ch, Registration reg, ByteBuffer dst) {
        if (!dst.hasRemaining()) {
            return 0;
        }
        checkOpen(reg);
        try {
            if (reg.readDrained()) {
                // The last read emptied the socket and no readiness came since: waiting costs no
                // read(2) that would fail, and the level-triggered selector reports any data.
                reg.awaitReadable(cx);
                return PENDING;
            }
            if (!Coop.proceed(cx)) {
                return PENDING;
            }
            int wanted = dst.remaining();
            int n = ch.read(dst);
            if (n > 0) {
                if (n < wanted) {
                    reg.markReadDrained();
                }
                return n;
            }
            if (n < 0) {
                return EOF;
            }
            reg.awaitReadable(cx);
            return PENDING;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes from {@code src}: the count written or {@link #PENDING}; 0 only if {@code src} is empty. */
    public static int write(Context cx, SocketChannel ch, Registration reg, ByteBuffer src) {
        if (!src.hasRemaining()) {
            return 0;
        }
        checkOpen(reg);
        if (!Coop.proceed(cx)) {
            return PENDING;
        }
        try {
            int n = ch.write(src);
            if (n > 0) {
                return n;
            }
            reg.awaitWritable(cx);
            return PENDING;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closed by this process: an error, even while the driver has not closed the channel yet. */
    private static void checkOpen(Registration reg) {
        if (reg.isClosed()) {
            throw new UncheckedIOException(new java.nio.channels.ClosedChannelException());
        }
    }

    /** Accepts a connection, or returns null after registering the waker. */
    public static SocketChannel accept(Context cx, ServerSocketChannel ch, Registration reg) {
        checkOpen(reg);
        if (!Coop.proceed(cx)) {
            return null;
        }
        try {
            SocketChannel c = ch.accept();
            if (c == null) {
                reg.awaitReadable(cx);
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Finishes a non-blocking connect: true when connected, false after registering the waker. */
    public static boolean finishConnect(Context cx, SocketChannel ch, Registration reg) {
        try {
            if (ch.finishConnect()) {
                return true;
            }
            reg.awaitConnectable(cx);
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Receives one datagram into {@code dst}: its sender, or null after registering the waker. */
    public static SocketAddress receive(Context cx, DatagramChannel ch, Registration reg, ByteBuffer dst) {
        checkOpen(reg);
        if (!Coop.proceed(cx)) {
            return null;
        }
        try {
            SocketAddress from = ch.receive(dst);
            if (from == null) {
                reg.awaitReadable(cx);
            }
            return from;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one datagram: true if sent, false after registering the waker (the buffer was full). */
    public static boolean send(Context cx, DatagramChannel ch, Registration reg, ByteBuffer src, SocketAddress to) {
        checkOpen(reg);
        if (!Coop.proceed(cx)) {
            return false;
        }
        try {
            int before = src.remaining();
            int n = to == null ? ch.write(src) : ch.send(src, to);
            if (n > 0 || before == 0) {
                return true;
            }
            reg.awaitWritable(cx);
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
