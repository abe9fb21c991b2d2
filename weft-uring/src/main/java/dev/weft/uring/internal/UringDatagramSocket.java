package dev.weft.uring.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.internal.SpinLock;
import dev.weft.io.IoBuf;
import dev.weft.io.spi.DatagramSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * A UDP socket on io_uring ({@code RECVMSG}/{@code SENDMSG}). The kernel receives into the socket's
 * own 64 KiB buffer; a receiver that gives up leaves the receive in flight and the datagram it
 * brings waits here for the next receive, so none is lost. A send copies the datagram into memory
 * of its own, freed at its terminal CQE (also when the send future was dropped). Close cancels the
 * receive and closes the descriptor after its CQE.
 *
 * <h2>Implementation notes</h2>
 * One receive block: {@code struct msghdr} (56 bytes on LP64: name, namelen, iov, iovlen, control,
 * controllen, flags), one {@code struct iovec}, 128 bytes of address, the 64 KiB data. Guarded by
 * {@link #lock} with the receive state; freed once the descriptor is closed and no receive is in
 * flight.
 */
final class UringDatagramSocket implements DatagramSocket, UringDriver.OpenSocket {
    static final int DATA = 65536;
    private static final long MSGHDR = 56;
    private static final long IOVEC = 16;
    private static final long NAME = Sockaddr.MAX;

    private final UringDriver driver;
    private final int fd;
    private final InetSocketAddress local;
    private final SpinLock lock = new SpinLock();
    private final MemorySegment block;
    private volatile boolean connected;
    // guarded by lock
    private UringOp recvOp;
    private int stashLen = -1;
    private InetSocketAddress stashFrom;
    private IOException error;
    private Waker receiver;
    private boolean closing;
    private boolean fdClosed;

    private UringDatagramSocket(UringDriver driver, int fd, InetSocketAddress local) {
        this.driver = driver;
        this.fd = fd;
        this.local = local;
        this.block = Native.allocate(MSGHDR + IOVEC + NAME + DATA);
    }

    static UringDatagramSocket bind(UringDriver driver, InetSocketAddress address) throws IOException {
        int fd;
        try {
            fd = Sys.socket(Sockaddr.family(address), Sockaddr.SOCK_DGRAM | Sockaddr.SOCK_CLOEXEC, 0);
        } catch (ErrnoException e) {
            throw UringSockets.error(e.errno(), "socket");
        }
        MemorySegment sa = Sockaddr.encodeNative(address);
        try {
            Sys.bind(fd, sa, (int) sa.byteSize());
            UringDatagramSocket s = new UringDatagramSocket(driver, fd, (InetSocketAddress) Sockaddr.of(fd, false));
            driver.opened(s);
            return s;
        } catch (ErrnoException e) {
            UringSockets.closeQuietly(fd);
            throw UringSockets.error(e.errno(), "bind " + address);
        } finally {
            Native.free(sa);
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void connect(InetSocketAddress peer) throws IOException {
        MemorySegment sa = Sockaddr.encodeNative(peer);
        try {
            Sys.connect(fd, sa, (int) sa.byteSize());
            connected = true;
        } catch (ErrnoException e) {
            throw UringSockets.error(e.errno(), "connect " + peer);
        } finally {
            Native.free(sa);
        }
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    // ------------------------------------------------------------------ receive

    @Override
    public Poll<SocketAddress> pollReceive(Context cx, IoBuf dst) {
        UringOp start = null;
        lock.lock();
        try {
            if (stashLen >= 0) {
                int n = Math.min(stashLen, dst.remaining());    // truncated to the room, as DatagramChannel does
                MemorySegment.copy(block, MSGHDR + IOVEC + NAME, dst.segment(), dst.position(), n);
                dst.advance(n);
                InetSocketAddress from = stashFrom;
                stashLen = -1;
                stashFrom = null;
                return Poll.ready(from);
            }
            if (error != null) {
                IOException e = error;
                error = null;       // reported once (an ICMP port-unreachable on a connected socket)
                throw new UncheckedIOException(e);
            }
            if (closing) {
                throw new UncheckedIOException(new ClosedChannelException());
            }
            receiver = cx.waker();
            if (recvOp == null) {
                long base = block.address();
                block.set(ValueLayout.JAVA_LONG, 0, base + MSGHDR + IOVEC);       // msg_name
                block.set(ValueLayout.JAVA_INT, 8, (int) NAME);                   // msg_namelen
                block.set(ValueLayout.JAVA_LONG, 16, base + MSGHDR);              // msg_iov
                block.set(ValueLayout.JAVA_LONG, 24, 1L);                         // msg_iovlen
                block.set(ValueLayout.JAVA_LONG, 32, 0L);                         // msg_control
                block.set(ValueLayout.JAVA_LONG, 40, 0L);                         // msg_controllen
                block.set(ValueLayout.JAVA_INT, 48, 0);                           // msg_flags
                block.set(ValueLayout.JAVA_LONG, MSGHDR, base + MSGHDR + IOVEC + NAME);   // iov_base
                block.set(ValueLayout.JAVA_LONG, MSGHDR + 8, (long) DATA);               // iov_len
                start = recvOp = new UringOp(driver, Opcode.RECVMSG, fd, base, 1, 0, 0, "recvmsg", null)
                        .onComplete(this::received);
            }
        } finally {
            lock.unlock();
        }
        if (start != null) {
            start.submitOrFail();
        }
        return Poll.pending();
    }

    private void received(int res) {
        Waker w;
        boolean closeNow;
        lock.lock();
        try {
            recvOp = null;
            if (res >= 0 && !closing) {
                stashLen = res;
                stashFrom = (InetSocketAddress) Sockaddr.decode(block.asSlice(MSGHDR + IOVEC, NAME));
            } else if (res < 0 && !closing) {
                error = res == -UringSockets.ECONNREFUSED
                        ? new PortUnreachableException("the connected peer's port is unreachable (ICMP), recvmsg")
                        : UringSockets.error(-res, "recvmsg");
            }
            w = receiver;
            receiver = null;
            closeNow = readyToCloseLocked();
        } finally {
            lock.unlock();
        }
        if (closeNow) {
            driver.closed(this);
            UringSockets.closeQuietly(fd);
        }
        UringSockets.wake(w, this);
    }

    // ------------------------------------------------------------------ send

    @Override
    public Future<Void> send(IoBuf src, InetSocketAddress to) {
        return new Future<>() {
            private UringOp op;
            private int length;

            @Override
            public Poll<Void> poll(Context cx) {
                if (op == null) {
                    if (!isOpen()) {
                        throw new UncheckedIOException(new ClosedChannelException());
                    }
                    length = src.remaining();
                    MemorySegment mem = Native.allocate(MSGHDR + IOVEC + NAME + Math.max(1, length));
                    long base = mem.address();
                    int nameLen = 0;
                    if (to != null) {
                        MemorySegment sa = Sockaddr.encodeNative(to);
                        nameLen = (int) sa.byteSize();
                        MemorySegment.copy(sa, 0, mem, MSGHDR + IOVEC, nameLen);
                        Native.free(sa);
                    }
                    MemorySegment.copy(src.segment(), src.position(), mem, MSGHDR + IOVEC + NAME, length);
                    mem.set(ValueLayout.JAVA_LONG, 0, to == null ? 0L : base + MSGHDR + IOVEC);
                    mem.set(ValueLayout.JAVA_INT, 8, nameLen);
                    mem.set(ValueLayout.JAVA_LONG, 16, base + MSGHDR);
                    mem.set(ValueLayout.JAVA_LONG, 24, 1L);
                    mem.set(ValueLayout.JAVA_LONG, MSGHDR, base + MSGHDR + IOVEC + NAME);
                    mem.set(ValueLayout.JAVA_LONG, MSGHDR + 8, (long) length);
                    UringOp created = new UringOp(driver, Opcode.SENDMSG, fd, base, 1, 0, 0, "sendmsg", null)
                            .onComplete(res -> Native.free(mem));       // the kernel is done with the datagram
                    op = created;
                    try {
                        created.submit();
                    } catch (RuntimeException refused) {
                        Native.free(mem);
                        throw refused;
                    }
                }
                Poll<Integer> p = op.poll(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                int res = p.value();
                if (res < 0) {
                    throw new UncheckedIOException(UringSockets.error(-res, "sendmsg"));
                }
                src.advance(length);
                return Poll.ready(null);
            }

            @Override
            public void drop() {
                UringOp o = op;
                if (o != null && !o.isDone()) {
                    o.drop();           // the datagram may still go; its memory is freed at the CQE
                }
            }
        };
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public boolean isOpen() {
        lock.lock();
        try {
            return !closing;
        } finally {
            lock.unlock();
        }
    }

    /** Cancels the receive and closes the descriptor after its CQE: the port is free when this returns (bounded wait). */
    @Override
    public void close() {
        UringOp op;
        Waker w;
        boolean closeNow;
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            op = recvOp;
            w = receiver;
            receiver = null;
            closeNow = readyToCloseLocked();
        } finally {
            lock.unlock();
        }
        if (op != null) {
            op.drop();
            driver.awaitTerminal(op, 5_000_000_000L);
        }
        if (closeNow) {
            driver.closed(this);
            UringSockets.closeQuietly(fd);
        }
        UringSockets.wake(w, this);
    }

    @Override
    public void closeForShutdown() {
        boolean closeNow;
        lock.lock();
        try {
            closing = true;
            closeNow = !fdClosed;
            fdClosed = true;
            if (recvOp == null) {
                freeLocked();
            }
        } finally {
            lock.unlock();
        }
        if (closeNow) {
            UringSockets.closeQuietly(fd);
        }
    }

    private boolean readyToCloseLocked() {
        if (closing && !fdClosed && recvOp == null) {
            fdClosed = true;
            freeLocked();
            return true;
        }
        return false;
    }

    private boolean freed;

    private void freeLocked() {
        stashLen = -1;
        if (!freed) {
            freed = true;
            Native.free(block);
        }
    }

    @Override
    public String toString() {
        return "io_uring UDP fd " + fd + " on " + local;
    }
}
