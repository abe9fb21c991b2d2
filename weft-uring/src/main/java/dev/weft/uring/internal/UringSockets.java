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
import java.net.SocketException;

/** Connecting and error mapping for the io_uring sockets. */
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

    /** {@code IORING_OP_CONNECT} as a future; dropping it before it completes closes the socket once the kernel let go. */
    static Future<StreamSocket> connect(UringDriver driver, InetSocketAddress address) {
        return new Future<>() {
            private int fd = -1;
            private UringOp op;

            @Override
            public Poll<StreamSocket> poll(Context cx) {
                if (op == null) {
                    try {
                        fd = newSocket(address);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    MemorySegment sa = Sockaddr.encodeNative(address);
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
                return Poll.ready(UringStreamSocket.of(driver, socket));
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
                return "connect(" + address + ") on io_uring";
            }
        };
    }
}
