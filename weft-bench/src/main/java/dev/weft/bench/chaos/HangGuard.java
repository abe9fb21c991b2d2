package dev.weft.bench.chaos;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.PrintStream;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A last resort against the harness itself hanging (a Weft bug can make a close or a join wait
 * forever where no bound of ours applies): a daemon thread that, if not {@linkplain #disarm()
 * disarmed} in time, prints every platform thread with the monitors it holds and waits for (so a
 * monitor deadlock names its owner), writes a full dump including virtual threads to a file, and
 * halts the JVM with status 3.
 */
public final class HangGuard {
    private final Thread thread;

    private HangGuard(Thread thread) {
        this.thread = thread;
    }

    /** Arms a guard that fires after {@code limit}; {@code what} names the run in its report. */
    public static HangGuard arm(String what, Duration limit, PrintStream out) {
        Thread t = Thread.ofPlatform().name("hang-guard").daemon(true).start(() -> {
            try {
                Thread.sleep(limit.toMillis());
            } catch (InterruptedException disarmed) {
                return;
            }
            out.println(what + " result FAILED: the harness itself did not finish within " + limit.toSeconds()
                    + " s (a wait with no bound of ours hung); threads follow");
            dump(out);
            out.flush();
            Runtime.getRuntime().halt(3);
        });
        return new HangGuard(t);
    }

    public void disarm() {
        thread.interrupt();
    }

    /** {@link #dump(PrintStream)} into a string, to be printed later. */
    public static String dumpToString() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        dump(ps);
        ps.flush();
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Prints platform threads with lock owners, and writes a dump with virtual threads to a file. */
    public static void dump(PrintStream out) {
        for (ThreadInfo ti : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.println("\"" + ti.getThreadName() + "\" #" + ti.getThreadId() + " " + ti.getThreadState()
                    + (ti.getLockName() != null ? " on " + ti.getLockName() : "")
                    + (ti.getLockOwnerName() != null || ti.getLockOwnerId() > 0
                            ? " owned by \"" + ti.getLockOwnerName() + "\" #" + ti.getLockOwnerId() : ""));
            StackTraceElement[] st = ti.getStackTrace();
            for (int i = 0; i < st.length; i++) {
                out.println("    at " + st[i]);
                for (MonitorInfo mi : ti.getLockedMonitors()) {
                    if (mi.getLockedStackDepth() == i) {
                        out.println("      - locked " + mi);
                    }
                }
            }
            for (LockInfo li : ti.getLockedSynchronizers()) {
                out.println("      - holds " + li);
            }
        }
        try {
            Path file = Files.createTempFile("weft-hang-", ".json");
            Files.delete(file);
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            out.println("all threads, virtual ones included: " + file);
        } catch (Exception e) {
            out.println("(no dump of virtual threads: " + e + ")");
        }
    }
}
