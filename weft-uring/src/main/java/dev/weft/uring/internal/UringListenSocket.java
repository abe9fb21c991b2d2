package dev.weft.uring.internal;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.internal.SpinLock;
import dev.weft.io.spi.ListenSocket;
import dev.weft.io.spi.StreamSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * A listening socket on io_uring. The socket owns one {@code ACCEPT} operation at a time: an
 * acceptor that gives up leaves it in flight, and the connection it brings waits here for the next
 * accept, so no connection is lost. Closing cancels it, closes a connection that still arrives,
 * and closes the listening descriptor only after the operation's CQE (so the port is free when
 * close returns, from a sequential task; elsewhere within a bounded wait).
 */
final class UringListenSocket implements ListenSocket, UringDriver.OpenSocket {
    private final UringDriver driver;
    private final int fd;
    private final InetSocketAddress local;
    private final SpinLock lock = new SpinLock();
    // guarded by lock
    private UringOp acceptOp;
    private int readyFd = -1;
    private IOException error;
    private Waker acceptor;
    private boolean closing;

    private UringListenSocket(UringDriver driver, int fd, InetSocketAddress local) {
        this.driver = driver;
        this.fd = fd;
        this.local = local;
    }

    static UringListenSocket bind(UringDriver driver, InetSocketAddress address, int backlog) throws IOException {
        int fd = UringSockets.newSocket(address);
        try (Arena arena = Arena.ofConfined()) {
            Sys.setsockoptInt(fd, Sockaddr.SOL_SOCKET, Sockaddr.SO_REUSEADDR, 1);
            var sa = Sockaddr.encode(arena, address);
            Sys.bind(fd, sa, (int) sa.byteSize());
            Sys.listen(fd, backlog);
            UringListenSocket l = new UringListenSocket(driver, fd, Sockaddr.of(fd, false));
            driver.opened(l);
            return l;
        } catch (ErrnoException e) {
            UringSockets.closeQuietly(fd);
            IOException io = UringSockets.error(e.errno(), e.getMessage().startsWith("bind") ? "bind " + address : "listen");
            throw io;
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public Poll<StreamSocket> pollAccept(Context cx) {
        UringOp start = null;
        lock.lock();
        try {
            if (readyFd >= 0) {
                int c = readyFd;
                readyFd = -1;
                return Poll.ready(UringStreamSocket.of(driver, c));
            }
            if (error != null) {
                IOException e = error;
                error = null;           // reported once: the next accept tries again (EMFILE passes)
                throw new UncheckedIOException(e);
            }
            if (closing) {
                throw new UncheckedIOException(new ClosedChannelException());
            }
            acceptor = cx.waker();
            if (acceptOp == null) {
                start = acceptOp = new UringOp(driver, Opcode.ACCEPT, fd, 0, 0, 0, Sockaddr.SOCK_CLOEXEC,
                        "accept on " + local).onComplete(this::accepted);
            }
        } finally {
            lock.unlock();
        }
        if (start != null) {
            start.submitOrFail();
        }
        return Poll.pending();
    }

    private void accepted(int res) {
        Waker w;
        int stray = -1;
        lock.lock();
        try {
            acceptOp = null;
            if (res >= 0) {
                if (closing) {
                    stray = res;        // arrived after close: nobody will take it
                } else {
                    readyFd = res;
                }
            } else if (!closing) {
                error = UringSockets.error(-res, "accept");
            }
            w = acceptor;
            acceptor = null;
        } finally {
            lock.unlock();
        }
        UringSockets.closeQuietly(stray);
        UringSockets.wake(w, this);
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

    @Override
    public void close() {
        UringOp op;
        int ready;
        Waker w;
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            op = acceptOp;
            ready = readyFd;
            readyFd = -1;
            w = acceptor;
            acceptor = null;
        } finally {
            lock.unlock();
        }
        UringSockets.closeQuietly(ready);
        if (op != null) {
            op.drop();
            driver.awaitTerminal(op, 5_000_000_000L);   // the accept lets go of the socket: the port is free after
        }
        driver.closed(this);
        UringSockets.closeQuietly(fd);
        UringSockets.wake(w, this);
    }

    @Override
    public void closeForShutdown() {
        int ready;
        lock.lock();
        try {
            closing = true;
            ready = readyFd;
            readyFd = -1;
        } finally {
            lock.unlock();
        }
        UringSockets.closeQuietly(ready);
        UringSockets.closeQuietly(fd);
    }

    @Override
    public String toString() {
        return "io_uring listener fd " + fd + " on " + local;
    }
}
