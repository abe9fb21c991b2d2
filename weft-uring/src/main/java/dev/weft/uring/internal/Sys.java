package dev.weft.uring.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc downcalls this module needs, one static method each: the raw {@code syscall(2)} for the
 * three io_uring calls (glibc has no wrappers), and {@code mmap}, {@code munmap}, {@code close},
 * {@code eventfd}, {@code open}. Each captures {@code errno} right after the call
 * ({@link Linker.Option#captureCallState}) so nothing the JVM does in between can clobber it, and a
 * failure becomes an {@link ErrnoException} naming the call and the errno.
 *
 * <p>Thread-safe: each call captures into a segment of its own from a pool. No call here blocks except
 * {@link #ioUringEnter} with {@code IORING_ENTER_GETEVENTS}, which blocks the calling OS thread.
 */
public final class Sys {
    /** Syscall numbers: the same on x86_64 and aarch64 (the io_uring calls were added after the tables merged). */
    public static final long NR_IO_URING_SETUP = 425;
    public static final long NR_IO_URING_ENTER = 426;
    public static final long NR_IO_URING_REGISTER = 427;
    /** {@code prlimit64}: 302 on x86_64, 261 on aarch64. */
    public static final long NR_PRLIMIT64 = "aarch64".equals(System.getProperty("os.arch")) ? 261 : 302;
    /** {@code write}: 1 on x86_64, 64 on aarch64 (the generic table). */
    public static final long NR_WRITE = "aarch64".equals(System.getProperty("os.arch")) ? 64 : 1;

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_POPULATE = 0x8000;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int EFD_CLOEXEC = 0x80000;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /**
     * Capture-state segments for calls in progress: taken for one call, given back after errno is
     * read. Native memory from {@link Native} (an automatic arena would register with a Cleaner,
     * under a monitor: decision 12), never freed; the pool holds as many as calls ever ran at once.
     */
    private static final java.util.concurrent.ConcurrentLinkedQueue<MemorySegment> STATES =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private static final MethodHandle SYSCALL, MMAP, MUNMAP, CLOSE, EVENTFD, OPEN, STRERROR;
    private static final MethodHandle SOCKET, BIND, LISTEN, SETSOCKOPT, GETSOCKNAME, GETPEERNAME, SHUTDOWN, CONNECT;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        // long syscall(long number, ...): glibc reads six longs from the varargs whatever the call.
        SYSCALL = linker.downcallHandle(libc.findOrThrow("syscall"),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1), errno);
        MMAP = linker.downcallHandle(libc.findOrThrow("mmap"),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), errno);
        MUNMAP = linker.downcallHandle(libc.findOrThrow("munmap"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), errno);
        CLOSE = linker.downcallHandle(libc.findOrThrow("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
        EVENTFD = linker.downcallHandle(libc.findOrThrow("eventfd"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
        // int open(const char *path, int flags, ...): the mode is the one variadic argument.
        OPEN = linker.downcallHandle(libc.findOrThrow("open"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2), errno);
        STRERROR = linker.downcallHandle(libc.findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        SOCKET = linker.downcallHandle(libc.findOrThrow("socket"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
        BIND = linker.downcallHandle(libc.findOrThrow("bind"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
        LISTEN = linker.downcallHandle(libc.findOrThrow("listen"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
        SETSOCKOPT = linker.downcallHandle(libc.findOrThrow("setsockopt"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
        GETSOCKNAME = linker.downcallHandle(libc.findOrThrow("getsockname"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), errno);
        GETPEERNAME = linker.downcallHandle(libc.findOrThrow("getpeername"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), errno);
        CONNECT = linker.downcallHandle(libc.findOrThrow("connect"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
        SHUTDOWN = linker.downcallHandle(libc.findOrThrow("shutdown"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
    }

    private Sys() { }

    private static MemorySegment takeState() {
        MemorySegment s = STATES.poll();
        return s != null ? s : Native.allocate(CAPTURE.byteSize());
    }

    /** A downcall given the capture-state segment. */
    @FunctionalInterface
    private interface Downcall {
        long call(MemorySegment state) throws Throwable;
    }

    /** Runs {@code d}; a result for which {@code failed} holds is an {@link ErrnoException} for {@code name}. */
    private static long invoke(String name, Downcall d, java.util.function.LongPredicate failed) throws ErrnoException {
        MemorySegment state = takeState();
        try {
            long rc;
            try {
                rc = d.call(state);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (failed.test(rc)) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new ErrnoException(name, errno, strerror(errno));
            }
            return rc;
        } finally {
            STATES.offer(state);
        }
    }

    private static long syscall(String name, long nr, long a1, long a2, long a3, long a4, long a5, long a6) throws ErrnoException {
        return invoke(name, st -> (long) SYSCALL.invokeExact(st, nr, a1, a2, a3, a4, a5, a6), rc -> rc == -1L);
    }

    /** {@code io_uring_setup(entries, params)}: the ring's file descriptor. */
    public static int ioUringSetup(int entries, MemorySegment params) throws ErrnoException {
        return (int) syscall("io_uring_setup", NR_IO_URING_SETUP, entries, params.address(), 0, 0, 0, 0);
    }

    /**
     * {@code io_uring_enter(fd, toSubmit, minComplete, flags, NULL, 0)}: the number of SQEs consumed.
     * With {@code IORING_ENTER_GETEVENTS} it blocks the calling OS thread until {@code minComplete}
     * completions are ready.
     */
    public static int ioUringEnter(int fd, int toSubmit, int minComplete, int flags) throws ErrnoException {
        return (int) syscall("io_uring_enter", NR_IO_URING_ENTER, fd, toSubmit, minComplete, flags, 0, 0);
    }

    /**
     * {@code io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize)}: with
     * {@code IORING_ENTER_EXT_ARG}, {@code arg} is the address of a {@code struct io_uring_getevents_arg}.
     */
    public static int ioUringEnter(int fd, int toSubmit, int minComplete, int flags, long arg, long argSize) throws ErrnoException {
        return (int) syscall("io_uring_enter", NR_IO_URING_ENTER, fd, toSubmit, minComplete, flags, arg, argSize);
    }

    /** {@code write(fd, buf, count)} through {@code syscall}: the bytes written. */
    public static long write(int fd, long buf, long count) throws ErrnoException {
        return syscall("write", NR_WRITE, fd, buf, count, 0, 0, 0);
    }

    /** This process's soft limit of {@code resource} ({@code prlimit64(0, resource, NULL, &old)}); -1 for unlimited. */
    public static long softLimit(int resource) throws ErrnoException {
        MemorySegment old = Native.allocate(16);
        try {
            syscall("prlimit64", NR_PRLIMIT64, 0, resource, 0, old.address(), 0, 0);
            return old.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0);     // RLIM_INFINITY is ~0 = -1
        } finally {
            Native.free(old);
        }
    }

    /** {@code io_uring_register(fd, opcode, arg, nrArgs)}. */
    public static int ioUringRegister(int fd, int opcode, MemorySegment arg, int nrArgs) throws ErrnoException {
        return (int) syscall("io_uring_register", NR_IO_URING_REGISTER, fd, opcode, arg.address(), nrArgs, 0, 0);
    }

    /** {@code mmap(NULL, length, prot, flags, fd, offset)}: a zero-length segment at the mapping (reinterpret it). */
    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset) throws ErrnoException {
        long at = invoke("mmap", st -> ((MemorySegment) MMAP.invokeExact(st, MemorySegment.NULL, length, prot, flags, fd, offset))
                .address(), rc -> rc == -1L);   // MAP_FAILED
        return MemorySegment.ofAddress(at);
    }

    /** {@code munmap(address, length)}. */
    public static void munmap(long address, long length) throws ErrnoException {
        invoke("munmap", st -> (int) MUNMAP.invokeExact(st, MemorySegment.ofAddress(address), length), rc -> rc != 0);
    }

    /** {@code close(fd)}. */
    public static void close(int fd) throws ErrnoException {
        invoke("close", st -> (int) CLOSE.invokeExact(st, fd), rc -> rc != 0);
    }

    /** {@code eventfd(initial, flags)}: a new file descriptor. */
    public static int eventfd(int initial, int flags) throws ErrnoException {
        return (int) invoke("eventfd", st -> (int) EVENTFD.invokeExact(st, initial, flags), rc -> rc < 0);
    }

    /** {@code open(path, flags, mode)}: a new file descriptor. */
    public static int open(String path, int flags, int mode) throws ErrnoException {
        MemorySegment cPath = Native.string(path);
        try {
            return (int) invoke("open " + path, st -> (int) OPEN.invokeExact(st, cPath, flags, mode), rc -> rc < 0);
        } finally {
            Native.free(cPath);
        }
    }

    /** {@code socket(domain, type, protocol)}: a new descriptor. */
    public static int socket(int domain, int type, int protocol) throws ErrnoException {
        return (int) invoke("socket", st -> (int) SOCKET.invokeExact(st, domain, type, protocol), rc -> rc < 0);
    }

    /** {@code bind(fd, addr, len)}. */
    public static void bind(int fd, MemorySegment addr, int len) throws ErrnoException {
        invoke("bind", st -> (int) BIND.invokeExact(st, fd, addr, len), rc -> rc != 0);
    }

    /** {@code connect(fd, addr, len)}: for a UDP socket, immediate (it sets the peer). */
    public static void connect(int fd, MemorySegment addr, int len) throws ErrnoException {
        invoke("connect", st -> (int) CONNECT.invokeExact(st, fd, addr, len), rc -> rc != 0);
    }

    /** {@code listen(fd, backlog)}. */
    public static void listen(int fd, int backlog) throws ErrnoException {
        invoke("listen", st -> (int) LISTEN.invokeExact(st, fd, backlog), rc -> rc != 0);
    }

    /** {@code setsockopt(fd, level, name, &value, sizeof(int))} for an int option. */
    public static void setsockoptInt(int fd, int level, int name, int value) throws ErrnoException {
        MemorySegment v = Native.allocate(4);
        try {
            v.set(JAVA_INT, 0, value);
            setsockopt(fd, level, name, v, 4);
        } finally {
            Native.free(v);
        }
    }

    /** {@code setsockopt(fd, level, name, value, len)}. */
    public static void setsockopt(int fd, int level, int name, MemorySegment value, int len) throws ErrnoException {
        invoke("setsockopt", st -> (int) SETSOCKOPT.invokeExact(st, fd, level, name, value, len), rc -> rc != 0);
    }

    /** {@code getsockname} ({@code peer} false) or {@code getpeername} into {@code addr}; the address's length. */
    public static int sockName(int fd, boolean peer, MemorySegment addr) throws ErrnoException {
        MemorySegment len = Native.allocate(4);
        try {
            len.set(JAVA_INT, 0, (int) addr.byteSize());
            MethodHandle h = peer ? GETPEERNAME : GETSOCKNAME;
            invoke(peer ? "getpeername" : "getsockname", st -> (int) h.invokeExact(st, fd, addr, len), rc -> rc != 0);
            return len.get(JAVA_INT, 0);
        } finally {
            Native.free(len);
        }
    }

    /** {@code shutdown(fd, how)}. */
    public static void shutdown(int fd, int how) throws ErrnoException {
        invoke("shutdown", st -> (int) SHUTDOWN.invokeExact(st, fd, how), rc -> rc != 0);
    }

    /** libc's text for an errno ({@code "Invalid argument"}), or null. */
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            // glibc returns a constant string for known values: read it up to its NUL
            return text.address() == 0 ? null : text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
