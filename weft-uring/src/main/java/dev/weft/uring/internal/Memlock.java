package dev.weft.uring.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The limit on memory the kernel pins for registered buffers: {@code RLIMIT_MEMLOCK} for a process
 * without {@code CAP_IPC_LOCK} (often 8 MiB for a user, 64 KiB in some containers). Registering
 * more fails with {@code ENOMEM}; this class says so before the kernel does, in words that name
 * the limit and the fixes.
 */
final class Memlock {
    static final int RLIMIT_MEMLOCK = 8;
    private static final int CAP_IPC_LOCK = 14;

    private Memlock() { }

    /** Throws the limit's message if registering {@code bytes} would exceed it. */
    static void check(String pool, long bytes) {
        long limit;
        try {
            limit = Sys.softLimit(RLIMIT_MEMLOCK);
        } catch (ErrnoException e) {
            return;         // unknown: the kernel decides, and registerFailed explains an ENOMEM
        }
        String refusal = refusal(pool, bytes, limit, hasIpcLock());
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
    }

    /**
     * The message for registering {@code bytes} of {@code pool} under a memlock limit of
     * {@code limit} bytes ({@code -1}: unlimited), or null if it fits.
     */
    static String refusal(String pool, long bytes, long limit, boolean ipcLock) {
        if (ipcLock || limit < 0 || bytes <= limit) {
            return null;
        }
        return "cannot register BufPool '" + pool + "' with io_uring: its " + mib(bytes) + " would be locked in memory, "
                + "over this process's RLIMIT_MEMLOCK of " + mib(limit) + " (see ulimit -l). Raise the limit (ulimit -l "
                + "unlimited in the shell, LimitMEMLOCK=infinity in a systemd unit, --ulimit memlock=-1 for docker run), "
                + "give the process CAP_IPC_LOCK, or register a smaller pool";
    }

    /** The exception for a failed {@code IORING_REGISTER_BUFFERS}; ENOMEM is the memlock limit. */
    static IllegalStateException registerFailed(String pool, long bytes, ErrnoException e) {
        if (e.errno() == Errno.ENOMEM) {
            long limit;
            try {
                limit = Sys.softLimit(RLIMIT_MEMLOCK);
            } catch (ErrnoException unknown) {
                limit = 0;
            }
            String why = refusal(pool, bytes, Math.max(0, limit), false);
            return new IllegalStateException(why != null ? why : "cannot register BufPool '" + pool + "' with io_uring ("
                    + mib(bytes) + "): the kernel is out of lockable memory (ENOMEM). Raise RLIMIT_MEMLOCK (ulimit -l) or "
                    + "register a smaller pool", e);
        }
        return new IllegalStateException("cannot register BufPool '" + pool + "' with io_uring: " + e.getMessage(), e);
    }

    /** Whether this process holds CAP_IPC_LOCK (then the limit does not apply), from /proc/self/status. */
    static boolean hasIpcLock() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << CAP_IPC_LOCK)) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: assume the limit applies, as for an unprivileged user
        }
        return false;
    }

    private static String mib(long bytes) {
        return bytes >= 1 << 20 ? String.format("%.1f MiB", bytes / 1048576.0) : (bytes / 1024) + " KiB";
    }
}
