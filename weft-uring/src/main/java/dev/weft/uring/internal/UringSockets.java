package dev.weft.uring.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.spi.StreamSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;

/** Connecting (TCP and Unix domain), error mapping and naming for the io_uring sockets. */
final class UringSockets {
    static final int ECONNREFUSED = 111;
    static final int ECONNRESET = 104;
    static final int EPIPE = 32;
    static final int EADDRINUSE = 98;
    static final int EHOSTUNREACH = 113;
    static final int ENETUNREACH = 101;

    private UringSockets() { }

    /** The exception java.net would throw for {@code errno}, naming the call. */
    static IOException error(int errno, String call) {
        String text = Sys.strerror(errno) + " (" + call + ", " + Errno.name(errno) + ")";
        return switch (errno) {
            case ECONNREFUSED -> new ConnectException(text);
            case EADDRINUSE -> new BindException(text);
            case EHOSTUNREACH, ENETUNREACH -> new NoRouteToHostException(text);
            case ECONNRESET, EPIPE -> new SocketException(text);
            default -> new IOException(text);
        };
    }

    /** Wakes {@code w} if there is one; a waker that throws is reported against {@code owner}, and the caller goes on. */
    static void wake(dev.weft.Waker w, Object owner) {
        if (w != null) {
            try {
                w.wake();
            } catch (Throwable t) {
                dev.weft.spi.Faults.report(owner + " (a waker)", w, t);
            }
        }
    }

    static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                Sys.close(fd);
            } catch (ErrnoException e) {
                // nobody else holds it
            }
        }
    }

    /** A new TCP socket for {@code address}'s family (close-on-exec). */
    static int newSocket(InetSocketAddress address) throws IOException {
        try {
            return Sys.socket(Sockaddr.family(address), Sockaddr.SOCK_STREAM | Sockaddr.SOCK_CLOEXEC, 0);
        } catch (ErrnoException e) {
            throw error(e.errno(), "socket");
        }
    }

    /** A new Unix domain stream socket (close-on-exec). */
    static int newUnixSocket() throws IOException {
        try {
            return Sys.socket(Sockaddr.AF_UNIX, Sockaddr.SOCK_STREAM | Sockaddr.SOCK_CLOEXEC, 0);
        } catch (ErrnoException e) {
            throw error(e.errno(), "socket");
        }
    }

    /**
     * A connected or accepted descriptor as a stream socket: for TCP with no-delay on
     * ({@link UringStreamSocket#of}), for a Unix domain socket as it is (no option applies).
     * Either way closed with the driver if nobody closes it.
     */
    static UringStreamSocket stream(UringDriver driver, int fd, boolean unix) {
        if (!unix) {
            return UringStreamSocket.of(driver, fd);
        }
        UringStreamSocket s = new UringStreamSocket(driver, fd);
        driver.opened(s);
        return s;
    }

    /**
     * How a stream socket names itself in dumps and errors: {@code UnixStream[/run/app.sock]
     * (io_uring fd 7)} for a Unix domain socket (the path of the side that has one: the
     * listener's), {@code io_uring fd 7} for TCP ({@code TcpStream} names its addresses itself)
     * or once closed. Asks the kernel for the addresses (two system calls, made only when a dump
     * or a message asks); a socket closed meanwhile is named by its descriptor alone (in the
     * instant between the open check and the calls, a reused descriptor number could name another
     * socket: a name in a dump, never used for I/O).
     */
    static String describe(int fd, boolean open) {
        String name = "io_uring fd " + fd;
        if (!open) {
            return name + " (closed)";
        }
        try {
            if (Sockaddr.of(fd, false) instanceof UnixDomainSocketAddress local) {
                String l = local.getPath().toString();
                String r = Sockaddr.of(fd, true) instanceof UnixDomainSocketAddress u ? u.getPath().toString() : "";
                return "UnixStream[" + (l.isEmpty() ? r : r.isEmpty() ? l : l + " <- " + r) + "] (" + name + ")";
            }
        } catch (ErrnoException | RuntimeException e) {
            // closed under us, or not connected any more: the descriptor names it
        }
        return name;
    }

    /** {@code IORING_OP_CONNECT} as a future; dropping it before it completes closes the socket once the kernel let go. */
    static Future<StreamSocket> connect(UringDriver driver, InetSocketAddress address) {
        return connectTo(driver, address);
    }

    /**
     * {@code IORING_OP_CONNECT} to a Unix domain socket (no-delay does not apply); a path too long
     * for {@code sun_path}, or nobody listening ({@code ENOENT}: no file; {@code ECONNREFUSED}: a
     * file nobody accepts on), is an {@link IOException} in an {@link UncheckedIOException}.
     */
    static Future<StreamSocket> connectUnix(UringDriver driver, UnixDomainSocketAddress address) {
        return connectTo(driver, address);
    }

    private static Future<StreamSocket> connectTo(UringDriver driver, SocketAddress address) {
        boolean unix = address instanceof UnixDomainSocketAddress;
        return new Future<>() {
            private int fd = -1;
            private UringOp op;

            @Override
            public Poll<StreamSocket> poll(Context cx) {
                if (op == null) {
                    MemorySegment sa;
                    try {
                        sa = unix ? Sockaddr.encodeNative((UnixDomainSocketAddress) address)
                                : Sockaddr.encodeNative((InetSocketAddress) address);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    try {
                        fd = unix ? newUnixSocket() : newSocket((InetSocketAddress) address);
                    } catch (IOException e) {
                        Native.free(sa);
                        throw new UncheckedIOException(e);
                    }
                    int socket = fd;
                    // CONNECT: addr = the sockaddr, off (addr2) = its length
                    UringOp created = new UringOp(driver, Opcode.CONNECT, fd, sa.address(), 0, sa.byteSize(), 0,
                            "connect", address);
                    created.onComplete(res -> {
                        Native.free(sa);            // the kernel is done with the address
                        if (created.abandoned) {
                            closeQuietly(socket);   // dropped while connecting: the kernel is done with it now
                        }
                    });
                    op = created;
                    try {
                        created.submit();
                    } catch (RuntimeException refused) {
                        op = null;
                        fd = -1;
                        Native.free(sa);
                        closeQuietly(socket);
                        throw refused;
                    }
                }
                Poll<Integer> p = op.poll(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                int res = p.value();
                int socket = fd;
                fd = -1;
                op = null;
                if (res < 0) {
                    closeQuietly(socket);
                    throw new UncheckedIOException(error(-res, "connect"));
                }
                return Poll.ready(stream(driver, socket, unix));
            }

            @Override
            public void drop() {
                UringOp o = op;
                if (o != null && !o.isDone()) {
                    op = null;
                    fd = -1;
                    o.drop();           // its completion closes the socket
                } else if (fd >= 0) {
                    closeQuietly(fd);
                    fd = -1;
                }
            }

            @Override
            public String toString() {
                return "connect(" + (unix ? "unix:" : "") + address + ") on io_uring";
            }
        };
    }
}
