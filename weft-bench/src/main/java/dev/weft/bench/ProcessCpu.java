package dev.weft.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;

/**
 * CPU time of the whole process, in nanoseconds: {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)}
 * through FFM where the C library has it (nanosecond resolution), else the platform MXBean
 * (on Linux it counts 10 ms ticks, which over 10 s is a 1 ms/s step).
 */
public final class ProcessCpu {
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;     // Linux
    private static final MethodHandle CLOCK_GETTIME = Linker.nativeLinker().defaultLookup().find("clock_gettime")
            .map(fn -> Linker.nativeLinker().downcallHandle(fn, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS)))
            .orElse(null);

    private ProcessCpu() { }

    public static long nanos() {
        if (CLOCK_GETTIME != null && System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ts = arena.allocate(16);
                int rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, ts);
                if (rc == 0) {
                    return ts.get(JAVA_LONG, 0) * 1_000_000_000L + ts.get(JAVA_LONG, 8);
                }
            } catch (Throwable t) {
                // fall back below
            }
        }
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report process CPU time");
    }
}
