package dev.weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time per OS thread of this process, from {@code /proc/self/task/<tid>/schedstat} (Linux): a
 * diagnostic printed to stderr, so a figure can be explained (which thread burnt the time: the
 * readers, the library's driver thread, the JIT, the GC). Used by the cameras suite and by the
 * micro suite's {@code -Dweft.bench.trace=true}. Empty where {@code /proc} is missing.
 */
public final class ThreadCpu {
    /** Nanoseconds on CPU by "name/tid". */
    private final Map<String, Long> nanosByThread;

    private ThreadCpu(Map<String, Long> nanosByThread) {
        this.nanosByThread = nanosByThread;
    }

    public static ThreadCpu sample() {
        Map<String, Long> ticks = new HashMap<>();   // ns
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return new ThreadCpu(ticks);
        }
        String self = selfTid();
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : list.toList()) {
                if (task.getFileName().toString().equals(self)) {
                    continue;                      // the sampling thread itself
                }
                try {
                    String name = Files.readString(task.resolve("comm")).strip() + "/" + task.getFileName();
                    String onCpu = Files.readString(task.resolve("schedstat")).split(" ")[0];
                    ticks.put(name, Long.parseLong(onCpu));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return new ThreadCpu(ticks);
        }
        return new ThreadCpu(ticks);
    }

    private static String selfTid() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    /**
     * The threads that used most CPU since {@code before}, as "name/tid ms", the rest summed, and
     * what threads that ended meanwhile used ({@code processCpuNanos} minus what was seen).
     */
    public String topSince(ThreadCpu before, int n, long processCpuNanos) {
        long seen = 0;
        List<Map.Entry<String, Long>> used = new ArrayList<>();
        nanosByThread.forEach((name, t) -> used.add(Map.entry(name, t - before.nanosByThread.getOrDefault(name, 0L))));
        used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder b = new StringBuilder();
        long rest = 0;
        for (int i = 0; i < used.size(); i++) {
            seen += used.get(i).getValue();
            if (i < n) {
                b.append(i == 0 ? "" : ", ").append(used.get(i).getKey())
                        .append(String.format(" %.1f ms", used.get(i).getValue() / 1e6));
            } else {
                rest += used.get(i).getValue();
            }
        }
        return b.append(String.format(", others %.1f ms, threads that ended %.1f ms", rest / 1e6,
                Math.max(0, processCpuNanos - seen) / 1e6)).toString();
    }
}
