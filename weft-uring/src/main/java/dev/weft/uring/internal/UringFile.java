package dev.weft.uring.internal;

import dev.weft.io.IoBuf;
import dev.weft.io.spi.FileHandle;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link dev.weft.io.AsyncFile} on io_uring: {@code openat}, {@code read}, {@code write},
 * {@code fsync}, {@code statx} and {@code close} are ring operations; no pool thread is used.
 *
 * <p>A buffer on the heap is read into (or written from) a native bounce buffer that the operation
 * owns; a direct buffer is used in place. Either way the caller's buffer is never touched after
 * the call returns or throws: a cancelled call waits, shielded, for the operation's terminal CQE
 * first ({@link UringOp#awaitIn}), and accounts the bytes it moved in the buffer's position.
 */
final class UringFile implements FileHandle {
    private final UringDriver driver;
    private final int fd;
    private final Path path;
    private final AtomicBoolean closed = new AtomicBoolean();

    private UringFile(UringDriver driver, int fd, Path path) {
        this.driver = driver;
        this.fd = fd;
        this.path = path;
    }

    static UringFile open(UringDriver driver, Path path, Set<? extends OpenOption> options) throws IOException {
        int flags = openFlags(options);
        MemorySegment cPath = Native.string(path.toAbsolutePath().toString());
        int res;
        try {
            UringOp op = new UringOp(driver, Opcode.OPENAT, Abi.AT_FDCWD, cPath.address(), 0666, 0, flags,
                    "openat", path);
            res = op.awaitIn(late -> closeQuietly(late));   // an open that completes after its cancel closes what it opened
        } finally {
            Native.free(cPath);     // awaitIn returns or throws only after the terminal CQE
        }
        if (res < 0) {
            throw error(-res, "cannot open " + path, path);
        }
        return new UringFile(driver, res, path);
    }

    /** The open(2) flags for Java's options; options with no io_uring meaning are refused by name. */
    static int openFlags(Set<? extends OpenOption> options) {
        boolean read = options.contains(StandardOpenOption.READ);
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        int flags = Abi.O_CLOEXEC | (write ? (read ? Abi.O_RDWR : Abi.O_WRONLY) : 0);
        for (OpenOption o : options) {
            if (o == StandardOpenOption.READ || o == StandardOpenOption.WRITE) {
                continue;
            }
            if (o == StandardOpenOption.APPEND) {
                flags |= Abi.O_APPEND;
            } else if (o == StandardOpenOption.CREATE) {
                flags |= write ? Abi.O_CREAT : 0;           // as FileChannel: ignored when only reading
            } else if (o == StandardOpenOption.CREATE_NEW) {
                flags |= write ? Abi.O_CREAT | Abi.O_EXCL : 0;
            } else if (o == StandardOpenOption.TRUNCATE_EXISTING) {
                flags |= write ? Abi.O_TRUNC : 0;
            } else if (o == StandardOpenOption.SYNC) {
                flags |= Abi.O_SYNC;
            } else if (o == StandardOpenOption.DSYNC) {
                flags |= Abi.O_DSYNC;
            } else if (o == LinkOption.NOFOLLOW_LINKS) {
                flags |= Abi.O_NOFOLLOW;
            } else if (o == StandardOpenOption.SPARSE) {
                continue;                                   // a hint, as for FileChannel
            } else {
                throw new UnsupportedOperationException("AsyncFile on io_uring does not support the open option " + o
                        + "; open it on a runtime with the NIO driver (ioDriver(\"nio\")) or leave the option out");
            }
        }
        return flags;
    }

    @Override
    public int readAt(IoBuf dst, long position) throws IOException {
        checkOpen();
        if (position < 0) {
            throw new IllegalArgumentException("a negative file position: " + position);
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        int want = dst.remaining();
        if (want == 0) {
            return 0;
        }
        boolean direct = dst.isDirect();
        MemorySegment target = direct ? dst.segment().asSlice(dst.position(), want) : Native.allocate(want);
        try {
            UringOp op = UringOp.readOrWrite(driver, true, fd, direct ? dev.weft.io.spi.KernelLoans.poolOf(dst) : null,
                    target.address(), want, position, "read", path);
            int res = op.awaitIn(landed -> took(dst, target, direct, landed));   // cancelled: keep what landed
            if (res < 0) {
                throw error(-res, "cannot read " + path, path);
            }
            if (res == 0) {
                return -1;
            }
            took(dst, target, direct, res);
            return res;
        } finally {
            if (!direct) {
                Native.free(target);    // after the terminal CQE (awaitIn waits for it, also when cancelled)
            }
        }
    }

    /**
     * A read into native memory of the operation's own, copied into {@code dst} in the poll that
     * completes it. Who frees that memory is decided by one state word: the poll that takes the
     * result, or the completion of an operation whose future was dropped, or the drop of a future
     * whose operation had completed.
     */
    @Override
    public dev.weft.Future<Integer> readAtFuture(IoBuf dst, long position) {
        return new dev.weft.Future<>() {
            private static final int IN_FLIGHT = 0;
            private static final int COMPLETED = 1;
            private static final int DROPPED = 2;
            private static final int TAKEN = 3;
            private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
            private UringOp op;
            private MemorySegment mem;

            @Override
            public dev.weft.Poll<Integer> poll(dev.weft.Context cx) {
                if (op == null) {
                    if (closed.get()) {
                        throw new java.io.UncheckedIOException(new java.nio.channels.ClosedChannelException());
                    }
                    if (!dev.weft.spi.Coop.proceed(cx)) {
                        return dev.weft.Poll.pending();
                    }
                    int want = dst.remaining();
                    MemorySegment m = Native.allocate(want);
                    mem = m;
                    UringOp created = new UringOp(driver, Opcode.READ, fd, m.address(), want, position, 0,
                            "read", path);
                    created.onComplete(res -> {
                        if (!state.compareAndSet(IN_FLIGHT, COMPLETED)) {
                            Native.free(m);     // dropped meanwhile: nobody will take the bytes
                        }
                    });
                    op = created;
                    try {
                        created.submit();
                    } catch (RuntimeException refused) {
                        op = null;
                        Native.free(m);
                        throw refused;
                    }
                }
                dev.weft.Poll<Integer> p = op.poll(cx);
                if (p.isPending() || state.get() != COMPLETED) {
                    if (p.isReady()) {
                        cx.waker().wake();      // done, its callback about to run: look again at once
                    }
                    return dev.weft.Poll.pending();
                }
                state.set(TAKEN);
                int res = p.value();
                try {
                    if (res < 0) {
                        throw new java.io.UncheckedIOException(error(-res, "cannot read " + path, path));
                    }
                    if (res == 0) {
                        return dev.weft.Poll.ready(dst.remaining() == 0 ? 0 : -1);
                    }
                    took(dst, mem, false, res);
                    return dev.weft.Poll.ready(res);
                } finally {
                    Native.free(mem);
                    mem = null;
                }
            }

            @Override
            public void drop() {
                UringOp o = op;
                if (o == null) {
                    return;
                }
                if (state.compareAndSet(IN_FLIGHT, DROPPED)) {
                    o.drop();               // cancels; the completion frees the memory
                } else if (state.compareAndSet(COMPLETED, DROPPED)) {
                    Native.free(mem);       // completed, never taken
                }
            }

            @Override
            public String toString() {
                return "readAt(" + path + " @" + position + ") on io_uring";
            }
        };
    }

    /** Accounts {@code n} bytes the kernel read into {@code target} (copied into {@code dst} if it bounced). */
    private static void took(IoBuf dst, MemorySegment target, boolean direct, int n) {
        if (n <= 0) {
            return;
        }
        if (!direct) {
            MemorySegment.copy(target, 0, dst.segment(), dst.position(), n);
        }
        dst.advance(n);
    }

    @Override
    public int writeAllAt(IoBuf src, long position) throws IOException {
        checkOpen();
        if (position < 0) {
            throw new IllegalArgumentException("a negative file position: " + position);
        }
        int total = 0;
        while (src.hasRemaining()) {
            int want = src.remaining();
            boolean direct = src.isDirect();
            MemorySegment from;
            if (direct) {
                from = src.segment().asSlice(src.position(), want);
            } else {
                from = Native.allocate(want);
                MemorySegment.copy(src.segment(), src.position(), from, 0, want);
            }
            int res;
            try {
                UringOp op = UringOp.readOrWrite(driver, false, fd, direct ? dev.weft.io.spi.KernelLoans.poolOf(src) : null,
                        from.address(), want, position + total, "write", path);
                res = op.awaitIn(wrote -> {
                    if (wrote > 0) {
                        src.advance(wrote);     // the bytes a cancelled write did write are consumed
                    }
                });
            } finally {
                if (!direct) {
                    Native.free(from);
                }
            }
            if (res < 0) {
                throw error(-res, "cannot write " + path, path);
            }
            src.advance(res);
            total += res;
        }
        return total;
    }

    @Override
    public long size() throws IOException {
        checkOpen();
        MemorySegment empty = Native.string("");
        MemorySegment statx = Native.allocate(Abi.STATX_BYTES);
        try {
            // statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &buf): the SQE's off field carries the buffer.
            UringOp op = new UringOp(driver, Opcode.STATX, fd, empty.address(), Abi.STATX_SIZE, statx.address(),
                    Abi.AT_EMPTY_PATH, "statx", path);
            int res = op.awaitIn(ignored -> { });
            if (res < 0) {
                throw error(-res, "cannot read the size of " + path, path);
            }
            return statx.get(ValueLayout.JAVA_LONG, Abi.STATX_SIZE_OFF);
        } finally {
            Native.free(empty);
            Native.free(statx);
        }
    }

    @Override
    public void sync(boolean metaData) throws IOException {
        checkOpen();
        UringOp op = new UringOp(driver, Opcode.FSYNC, fd, 0, 0, 0, metaData ? 0 : Abi.FSYNC_DATASYNC,
                "fsync", path);
        int res = op.awaitIn(ignored -> { });
        if (res < 0) {
            throw error(-res, "cannot sync " + path, path);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    /** Closes the descriptor with a ring operation, shielded (it completes even if the task is cancelled). Idempotent. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        int res;
        try {
            res = dev.weft.Weft.shielded(() -> new UringOp(driver, Opcode.CLOSE, fd, 0, 0, 0, 0, "close", path)
                    .awaitIn(ignored -> { }));
        } catch (IllegalStateException notInATaskOrDriverClosed) {
            closeQuietly(fd);       // outside a sequential task, or the runtime closed: close(2) here
            return;
        }
        if (res < 0) {
            throw error(-res, "cannot close " + path, path);
        }
    }

    private void checkOpen() throws IOException {
        if (closed.get()) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                Sys.close(fd);
            } catch (ErrnoException e) {
                // nobody else holds it
            }
        }
    }

    static IOException error(int errno, String what, Path path) {
        String text = Sys.strerror(errno);
        String file = path.toString();
        return switch (errno) {
            case Errno.ENOENT -> new NoSuchFileException(file, null, what + ": " + text);
            case Errno.EEXIST -> new FileAlreadyExistsException(file, null, what + ": " + text);
            case Errno.EACCES, Errno.EPERM -> new AccessDeniedException(file, null, what + ": " + text);
            default -> new IOException(what + ": " + text + " (" + Errno.name(errno) + ")");
        };
    }

    @Override
    public String toString() {
        return "io_uring fd " + fd;
    }
}
