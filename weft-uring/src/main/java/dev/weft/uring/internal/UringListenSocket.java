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
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * A listening socket on io_uring. The socket owns one <em>multishot</em> {@code ACCEPT}
 * ({@code IORING_ACCEPT_MULTISHOT}): submitted once, it brings every connection as its own CQE,
 * and the connections wait in this socket's queue for {@code accept} calls, so an acceptor that
 * gives up loses none. The queue is bounded ({@link #QUEUE_LIMIT}): when it is full the accept is
 * cancelled and armed again once an acceptor takes from it, so the kernel's backlog, not this
 * socket's memory, holds a flood. A kernel without multishot accept ({@code EINVAL}) gets one
 * {@code ACCEPT} per connection. Closing cancels the accept, closes the connections queued and
 * any that still arrive, and closes the listening descriptor only after the accept's terminal CQE
 * (so the port is free when close returns, from a sequential task; elsewhere within a bounded wait).
 * A Unix domain listener ({@link #bindUnix}) works the same way; deleting its socket file is
 * {@code UnixListener}'s part.
 */
final class UringListenSocket implements ListenSocket, UringDriver.OpenSocket {
    /** Connections accepted and not yet taken, beyond which the accept pauses. */
    static final int QUEUE_LIMIT = 1024;

    private final UringDriver driver;
    private final int fd;
    private final SocketAddress local;
    private final boolean unix;
    private final SpinLock lock = new SpinLock();
    // guarded by lock
    private UringOp acceptOp;
    private final java.util.ArrayDeque<Integer> ready = new java.util.ArrayDeque<>();
    private boolean multishot = true;       // until the kernel refuses it
    private IOException error;
    private Waker acceptor;
    private boolean closing;

    private UringListenSocket(UringDriver driver, int fd, SocketAddress local) {
        this.driver = driver;
        this.fd = fd;
        this.local = local;
        this.unix = local instanceof UnixDomainSocketAddress;
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

    /**
     * A listening Unix domain socket at {@code address}: bind (which creates the socket file; it
     * must not exist: {@code EADDRINUSE}, a {@link java.net.BindException}) and listen; no
     * {@code SO_REUSEADDR}, which means nothing for a path.
     */
    static UringListenSocket bindUnix(UringDriver driver, UnixDomainSocketAddress address, int backlog) throws IOException {
        int fd = UringSockets.newUnixSocket();
        boolean bound = false;
        try (Arena arena = Arena.ofConfined()) {
            var sa = Sockaddr.encode(arena, address);
            try {
                Sys.bind(fd, sa, (int) sa.byteSize());
                bound = true;
                Sys.listen(fd, backlog);
            } catch (ErrnoException e) {
                throw UringSockets.error(e.errno(), (bound ? "listen on " : "bind ") + address.getPath());
            }
            UringListenSocket l = new UringListenSocket(driver, fd, Sockaddr.of(fd, false));
            driver.opened(l);
            return l;
        } catch (IOException | RuntimeException e) {
            UringSockets.closeQuietly(fd);
            if (bound) {
                try {
                    java.nio.file.Files.deleteIfExists(address.getPath());     // the file this bind made: nobody listens on it
                } catch (IOException left) {
                    // the next bind reports the file left behind (not addSuppressed: it takes the exception's monitor)
                }
            }
            throw e;
        }
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public Poll<StreamSocket> pollAccept(Context cx) {
        UringOp start = null;
        int taken = -1;
        lock.lock();
        try {
            Integer c = ready.poll();
            if (c != null) {
                taken = c;
                if (acceptOp == null && !closing && error == null && ready.size() < QUEUE_LIMIT / 2) {
                    start = acceptOp = newAcceptLocked();   // paused by a full queue, or ended: accept again
                }
            } else {
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
                    start = acceptOp = newAcceptLocked();
                }
            }
        } finally {
            lock.unlock();
        }
        if (start != null) {
            start.submitOrFail();
        }
        return taken >= 0 ? Poll.ready(UringSockets.stream(driver, taken, unix)) : Poll.pending();
    }

    private UringOp newAcceptLocked() {
        UringOp op = new UringOp(driver, Opcode.ACCEPT, fd, 0, 0, 0, Sockaddr.SOCK_CLOEXEC,
                multishot ? "multishot accept on" : "accept on", local).onComplete(this::ended);
        if (multishot) {
            op.ioprio = Abi.ACCEPT_MULTISHOT;
            UringOp self = op;
            op.onEach(res -> accepted(self, res));
        }
        return op;
    }

    /** One connection of the multishot accept (a CQE with F_MORE). */
    private void accepted(UringOp op, int res) {
        Waker w;
        int stray = -1;
        UringOp pause = null;
        lock.lock();
        try {
            if (closing) {
                stray = res;            // arrived after close: nobody will take it
            } else if (res >= 0) {
                ready.add(res);
                if (ready.size() >= QUEUE_LIMIT && acceptOp == op) {
                    pause = op;         // full: the kernel's backlog holds the rest until an acceptor takes
                }
            }
            w = acceptor;
            acceptor = null;
        } finally {
            lock.unlock();
        }
        UringSockets.closeQuietly(stray);
        if (pause != null) {
            pause.drop();
        }
        UringSockets.wake(w, this);
    }

    /** The accept's terminal CQE: a last connection, the end of a multishot accept, or an error. */
    private void ended(int res) {
        Waker w;
        int stray = -1;
        lock.lock();
        try {
            acceptOp = null;
            if (res >= 0) {
                if (closing) {
                    stray = res;
                } else {
                    ready.add(res);
                }
            } else if (res == -Errno.EINVAL && multishot) {
                multishot = false;      // a kernel before 5.19: one ACCEPT per connection from now on
            } else if (res != -Errno.ECANCELED && !closing) {
                error = UringSockets.error(-res, "accept");
            }
            w = acceptor;               // it re-arms the accept if it still wants a connection
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
        Integer[] queued;
        Waker w;
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            op = acceptOp;
            queued = ready.toArray(new Integer[0]);
            ready.clear();
            w = acceptor;
            acceptor = null;
        } finally {
            lock.unlock();
        }
        for (Integer c : queued) {
            UringSockets.closeQuietly(c);
        }
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
        Integer[] queued;
        lock.lock();
        try {
            closing = true;
            queued = ready.toArray(new Integer[0]);
            ready.clear();
        } finally {
            lock.unlock();
        }
        for (Integer c : queued) {
            UringSockets.closeQuietly(c);
        }
        UringSockets.closeQuietly(fd);
    }

    @Override
    public String toString() {
        return "io_uring listener fd " + fd + " on " + local;
    }
}
