package dev.weft.uring;

import dev.weft.uring.internal.Errno;
import dev.weft.uring.internal.ErrnoException;
import dev.weft.uring.internal.Opcode;
import dev.weft.uring.internal.Probe;
import dev.weft.uring.internal.Ring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether this process can use Linux io_uring, and if not, why not in one sentence with the fix
 * (static methods); and, as an instance, the extras of a runtime whose I/O driver is io_uring,
 * reached on purpose through {@code Runtime.current().extension(Uring.class)} (empty on any other
 * runtime, never an exception):
 * {@snippet :
 * Runtime.current().extension(Uring.class).ifPresent(uring ->
 *         log.info("ring " + uring.stats()));           // SQ/CQ sizes, operations in flight, overflows
 * }
 *
 * <p>The answer is worked out once, on first use, by reading
 * {@code /proc/sys/kernel/io_uring_disabled} and creating (and closing) a small ring on the
 * calling thread; it is then cached for the life of the JVM. All methods are thread-safe and do
 * not block beyond that first check.
 *
 * <p>Tests that need io_uring skip with the cause:
 * {@snippet :
 * Assumptions.assumeTrue(Uring.isAvailable(), Uring.unavailabilityCause());
 * }
 */
public final class Uring {
    private static final Path DISABLED_SYSCTL = Path.of("/proc/sys/kernel/io_uring_disabled");

    static {
        dev.weft.uring.internal.UringAccess.install(Uring::new);
    }

    private final dev.weft.uring.internal.UringAccess.DriverView driver;

    private Uring(dev.weft.uring.internal.UringAccess.DriverView driver) {
        this.driver = driver;
    }

    /**
     * A runtime's ring, counted since it was made.
     *
     * @param sqEntries   submission queue size
     * @param cqEntries   completion queue size
     * @param inFlight    operations given to the kernel and not yet completed
     * @param submitted   operations given to the kernel
     * @param completed   operations completed (their last CQE reaped)
     * @param sqFull      times an operation waited for room in the SQ
     * @param cqOverflows times completions waited in the kernel's overflow list (the CQ was full)
     * @param copiedBytes bytes copied in Java between callers' buffers and the sockets' own buffers
     *                    ({@code read(IoBuf)}/{@code write(IoBuf)} on a stream)
     * @param inPlaceBytes bytes the kernel took from, or put into, memory the caller wrote or reads
     *                    directly, with no copy in Java: {@link dev.weft.io.AsyncBufWrite} reservations
     *                    (what {@link dev.weft.io.Framed} and {@link dev.weft.io.Io#copy} use) and
     *                    owned reads and writes of native buffers
     * @param fixedBufferOps operations that used a registered buffer ({@code READ_FIXED},
     *                    {@code WRITE_FIXED}, a fixed {@code SEND_ZC}; see {@link #registerBuffers})
     * @param zeroCopySends {@code SEND_ZC} operations ({@link #zeroCopySendsAbove})
     * @param submitCalls {@code io_uring_enter} calls that handed operations to the kernel: fewer
     *                    than {@code submitted} when a runtime thread's operations go in one call
     *                    at the end of its turn (ARCHITECTURE.md, decision 23)
     */
    public record Stats(int sqEntries, int cqEntries, long inFlight, long submitted, long completed, long sqFull,
                        long cqOverflows, long copiedBytes, long inPlaceBytes, long fixedBufferOps, long zeroCopySends,
                        long submitCalls) { }

    /** The runtime's ring statistics now. */
    public Stats stats() {
        long[] s = driver.snapshot();
        return new Stats((int) s[0], (int) s[1], s[2], s[6], s[7], s[3], s[4] + s[5], s[8], s[9], s[10], s[11], s[13]);
    }

    /**
     * Registers {@code pool}'s buffers with this runtime's ring ({@code IORING_REGISTER_BUFFERS}):
     * from now on a file read or write of one of its buffers ({@code AsyncFile.readAt},
     * {@code writeAt}) and an owned receive into one ({@code TcpStream.read(IoBuf)}) are
     * {@code READ_FIXED}/{@code WRITE_FIXED}, so the kernel does not pin and unpin its pages on every
     * operation. Buffers the pool allocates beyond its count are not registered and work as before.
     * One pool per ring at a time; {@link #unregisterBuffers()} first to change it. Unregister
     * before closing the pool.
     *
     * {@snippet :
     * BufPool pool = BufPool.direct(64 * 1024, 64);
     * Runtime.current().extension(Uring.class).ifPresent(uring -> uring.registerBuffers(pool));
     * }
     *
     * <p>Registered memory is locked: for a process without {@code CAP_IPC_LOCK} it counts against
     * {@code RLIMIT_MEMLOCK} ({@code ulimit -l}, often 8 MiB). A pool larger than the limit is
     * refused before the kernel is asked, with a message that names the limit and the fixes.
     *
     * @throws IllegalArgumentException if {@code pool} is a heap pool (its arrays move)
     * @throws IllegalStateException if another pool is registered, or the memlock limit or the
     *         kernel refuses (the message says which and what to do)
     */
    public void registerBuffers(dev.weft.io.BufPool pool) {
        java.util.Objects.requireNonNull(pool, "pool");
        driver.registerBuffers(pool);
    }

    /** Unregisters the registered pool, if any; its buffers work as plain native buffers from now on. */
    public void unregisterBuffers() {
        driver.unregisterBuffers();
    }

    /**
     * Sends owned buffers of at least {@code bytes} bytes with {@code SEND_ZC}: the kernel sends
     * from the pages themselves instead of copying them into the socket, and the buffer comes back
     * (the write completes) only with the kernel's notification that it let go of them; from a
     * registered pool the send uses the registered buffer. Off by default ({@code Integer.MAX_VALUE}):
     * zero-copy sends pay a page-pinning and notification cost that only large sends recover
     * (Linux's own guidance puts the break-even around 10 KiB; measure). Applies to owned writes
     * ({@code TcpStream.write(IoBuf)}, {@code writeAll(IoBuf)}) of native buffers.
     *
     * @throws UnsupportedOperationException if the kernel has no {@code SEND_ZC} (before Linux 6.0)
     */
    public void zeroCopySendsAbove(int bytes) {
        driver.zeroCopySendsAbove(bytes);
    }

    /** The name of the pool registered with this ring, if any. */
    public java.util.Optional<String> registeredPool() {
        return java.util.Optional.ofNullable(driver.registeredPool());
    }

    /** The name of the runtime this ring serves. */
    public String runtimeName() {
        return driver.runtimeName();
    }

    /** Whether the kernel supports operation {@code name} ({@link #supportedOperations()}). */
    public boolean supports(String name) {
        return supportedOperations().contains(name);
    }

    @Override
    public String toString() {
        return "Uring[runtime '" + runtimeName() + "', " + stats() + "]";
    }

    /** Computed on first use (class initialisation is the lock). */
    private static final class Check {
        static final String CAUSE;
        static final Set<String> OPERATIONS;

        static {
            String cause = check();
            Set<String> ops = Set.of();
            if (cause == null) {
                try {
                    Probe probe = Probe.load();
                    Set<String> names = new TreeSet<>();
                    for (Map.Entry<String, Integer> e : Opcode.BY_NAME.entrySet()) {
                        if (probe.supports(e.getValue())) {
                            names.add(e.getKey());
                        }
                    }
                    ops = Collections.unmodifiableSet(names);
                } catch (ErrnoException e) {
                    ops = Set.of();   // a kernel without IORING_REGISTER_PROBE (before 5.6): nothing known
                }
            }
            CAUSE = cause;
            OPERATIONS = ops;
        }
    }

    /**
     * Whether an io_uring ring can be created here.
     *
     * @return true if {@link #unavailabilityCause()} is null
     */
    public static boolean isAvailable() {
        return Check.CAUSE == null;
    }

    /**
     * Why io_uring cannot be used here, as one sentence that names the fix; null when it can.
     * Covers a non-Linux OS, {@code kernel.io_uring_disabled}, a kernel without io_uring
     * ({@code ENOSYS}), io_uring denied by policy or a container's seccomp filter ({@code EPERM}),
     * the locked-memory limit ({@code ENOMEM}, {@code RLIMIT_MEMLOCK}) and native access not
     * enabled for this module.
     */
    public static String unavailabilityCause() {
        return Check.CAUSE;
    }

    /**
     * The names of the operations this kernel supports, among those Weft names: {@code NOP},
     * {@code READV}, {@code WRITEV}, {@code FSYNC}, {@code READ_FIXED}, {@code WRITE_FIXED},
     * {@code POLL_ADD}, {@code POLL_REMOVE}, {@code SENDMSG}, {@code RECVMSG}, {@code TIMEOUT},
     * {@code ACCEPT}, {@code ASYNC_CANCEL}, {@code CONNECT}, {@code OPENAT}, {@code CLOSE},
     * {@code READ}, {@code WRITE}, {@code SEND}, {@code RECV}, {@code SHUTDOWN}, {@code SEND_ZC}.
     * From {@code IORING_REGISTER_PROBE}, once.
     *
     * @return an immutable sorted set; empty when io_uring is unavailable or the kernel cannot be
     *         probed (before Linux 5.6)
     */
    public static Set<String> supportedOperations() {
        return Check.OPERATIONS;
    }

    private static String check() {
        String os = System.getProperty("os.name", "?");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            return "io_uring is a Linux interface; this is " + os + ".";
        }
        int disabled = readDisabledSysctl();
        if (disabled == 2) {
            return causeFor(Errno.EPERM, 2);
        }
        try (Ring ring = new Ring(2)) {
            return null;
        } catch (ErrnoException e) {
            return causeFor(e.errno(), disabled);
        } catch (IllegalCallerException e) {
            return "native access is not enabled for Weft's io_uring module: run the JVM with "
                    + "--enable-native-access=dev.weft.uring (module path) or --enable-native-access=ALL-UNNAMED "
                    + "(class path).";
        } catch (RuntimeException | LinkageError e) {
            return "io_uring could not be set up through the FFM API: " + e;
        }
    }

    /** {@code kernel.io_uring_disabled}: 0, 1 or 2; 0 when the file is absent (kernels before 6.6). */
    private static int readDisabledSysctl() {
        try {
            return Integer.parseInt(Files.readString(DISABLED_SYSCTL).strip());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The sentence for a failed {@code io_uring_setup}: package-private so that each errno's text
     * is tested without a machine that fails that way.
     *
     * @param errno    what io_uring_setup (or mapping the ring) set
     * @param disabled the value of {@code kernel.io_uring_disabled} (0 when absent)
     */
    static String causeFor(int errno, int disabled) {
        if (disabled == 2) {
            return "io_uring is disabled for every process on this machine (sysctl kernel.io_uring_disabled = 2): "
                    + "enable it with `sysctl -w kernel.io_uring_disabled=0` as root.";
        }
        return switch (errno) {
            case Errno.ENOSYS -> "this kernel has no io_uring (io_uring_setup: ENOSYS): it needs Linux 5.1 or "
                    + "later built with CONFIG_IO_URING.";
            case Errno.EPERM -> disabled == 1
                    ? "io_uring is disabled for unprivileged processes (sysctl kernel.io_uring_disabled = 1; "
                            + "io_uring_setup: EPERM): add this user to the group in kernel.io_uring_group, or "
                            + "run `sysctl -w kernel.io_uring_disabled=0` as root."
                    : "io_uring_setup was denied (EPERM): a seccomp filter (Docker's and most container runtimes' "
                            + "default profile block io_uring) or a security module forbids it; allow io_uring_setup, "
                            + "io_uring_enter and io_uring_register in the profile.";
            case Errno.ENOMEM -> "io_uring could not lock the memory for its rings (ENOMEM): the locked-memory limit "
                    + "RLIMIT_MEMLOCK (`ulimit -l`) is too low; raise it (e.g. `ulimit -l unlimited`, or memlock in "
                    + "/etc/security/limits.conf or LimitMEMLOCK= in the systemd unit).";
            case Errno.EINVAL -> "io_uring_setup rejected every set of flags tried (EINVAL): this kernel's io_uring is "
                    + "too old for Weft.";
            default -> "io_uring_setup failed with " + Errno.name(errno) + ".";
        };
    }
}
