package dev.weft.bench.micro;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time per thread of this process since the previous call, from Linux's
 * {@code /proc/self/task/<tid>/schedstat}: it covers the JVM's own threads (JIT compilers, GC),
 * which {@code ThreadMXBean} does not list. Used by {@code -Dweft.bench.trace=true}.
 */
final class ThreadCpu {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final Map<String, Long> LAST = new HashMap<>();

    private ThreadCpu() { }

    /** " name=ms" for each thread that ran over 0.3 ms since the last call, or why it cannot tell (off Linux). */
    static String sinceLast() {
        if (!Files.isDirectory(TASKS)) {
            return " (unavailable: no /proc/self/task)";
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name;
                long cpuNanos;
                try {
                    name = Files.readString(task.resolve("comm")).trim().replace(' ', '_');
                    cpuNanos = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                } catch (IOException | UncheckedIOException | NumberFormatException exited) {
                    continue;   // the thread ended while we looked
                }
                Long previous = LAST.put(task.getFileName() + "/" + name, cpuNanos);
                long delta = cpuNanos - (previous == null ? 0 : previous);
                if (delta > 300_000) {
                    sb.append(String.format(" %s=%.1f", name, delta / 1e6));
                }
            }
        } catch (IOException e) {
            return " (unavailable: " + e + ")";
        }
        return sb.toString();
    }
}
