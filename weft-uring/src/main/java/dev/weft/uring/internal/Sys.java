package dev.weft.uring.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
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
 * <p>Thread-safe: the captured state goes to a segment per thread. No call here blocks except
 * {@link #ioUringEnter} with {@code IORING_ENTER_GETEVENTS}, which blocks the calling OS thread.
 */
public final class Sys {
    /** Syscall numbers: the same on x86_64 and aarch64 (the io_uring calls were added after the tables merged). */
    public static final long NR_IO_URING_SETUP = 425;
    public static final long NR_IO_URING_ENTER = 426;
    public static final long NR_IO_URING_REGISTER = 427;
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
    /** Per thread, from an automatic arena: freed with the thread's map entry. */
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static final MethodHandle SYSCALL, MMAP, MUNMAP, CLOSE, EVENTFD, OPEN, STRERROR;

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
    }

    private Sys() { }

    /** {@code io_uring_setup(entries, params)}: the ring's file descriptor. */
    public static int ioUringSetup(int entries, MemorySegment params) throws ErrnoException {
        return (int) check("io_uring_setup", syscall(NR_IO_URING_SETUP, entries, params.address(), 0, 0, 0, 0));
    }

    /**
     * {@code io_uring_enter(fd, toSubmit, minComplete, flags, NULL, 0)}: the number of SQEs consumed.
     * With {@code IORING_ENTER_GETEVENTS} it blocks the calling OS thread until {@code minComplete}
     * completions are ready.
     */
    public static int ioUringEnter(int fd, int toSubmit, int minComplete, int flags) throws ErrnoException {
        return (int) check("io_uring_enter", syscall(NR_IO_URING_ENTER, fd, toSubmit, minComplete, flags, 0, 0));
    }

    /**
     * {@code io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize)}: with
     * {@code IORING_ENTER_EXT_ARG}, {@code arg} is the address of a {@code struct io_uring_getevents_arg}.
     */
    public static int ioUringEnter(int fd, int toSubmit, int minComplete, int flags, long arg, long argSize) throws ErrnoException {
        return (int) check("io_uring_enter", syscall(NR_IO_URING_ENTER, fd, toSubmit, minComplete, flags, arg, argSize));
    }

    /** {@code write(fd, buf, count)} through {@code syscall}: the bytes written. */
    public static long write(int fd, long buf, long count) throws ErrnoException {
        return check("write", syscall(NR_WRITE, fd, buf, count, 0, 0, 0));
    }

    /** {@code io_uring_register(fd, opcode, arg, nrArgs)}. */
    public static int ioUringRegister(int fd, int opcode, MemorySegment arg, int nrArgs) throws ErrnoException {
        return (int) check("io_uring_register", syscall(NR_IO_URING_REGISTER, fd, opcode, arg.address(), nrArgs, 0, 0));
    }

    /** {@code mmap(NULL, length, prot, flags, fd, offset)}: a zero-length segment at the mapping (reinterpret it). */
    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset) throws ErrnoException {
        MemorySegment state = STATE.get();
        MemorySegment at;
        try {
            at = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (at.address() == -1L) {   // MAP_FAILED
            throw failure("mmap", state);
        }
        return at;
    }

    /** {@code munmap(address, length)}. */
    public static void munmap(long address, long length) throws ErrnoException {
        MemorySegment state = STATE.get();
        int rc;
        try {
            rc = (int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(address), length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc != 0) {
            throw failure("munmap", state);
        }
    }

    /** {@code close(fd)}. */
    public static void close(int fd) throws ErrnoException {
        MemorySegment state = STATE.get();
        int rc;
        try {
            rc = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc != 0) {
            throw failure("close", state);
        }
    }

    /** {@code eventfd(initial, flags)}: a new file descriptor. */
    public static int eventfd(int initial, int flags) throws ErrnoException {
        MemorySegment state = STATE.get();
        int fd;
        try {
            fd = (int) EVENTFD.invokeExact(state, initial, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (fd < 0) {
            throw failure("eventfd", state);
        }
        return fd;
    }

    /** {@code open(path, flags, mode)}: a new file descriptor. */
    public static int open(String path, int flags, int mode) throws ErrnoException {
        MemorySegment state = STATE.get();
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (fd < 0) {
            throw failure("open " + path, state);
        }
        return fd;
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

    /** syscall(nr, a1..a6): the raw result, -1 with errno captured on failure. */
    private static long syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            return (long) SYSCALL.invokeExact(STATE.get(), nr, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static long check(String call, long rc) throws ErrnoException {
        if (rc == -1L) {
            throw failure(call, STATE.get());
        }
        return rc;
    }

    private static ErrnoException failure(String call, MemorySegment state) {
        int errno = (int) ERRNO.get(state, 0L);
        return new ErrnoException(call, errno, strerror(errno));
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
