package dev.weft.bench.soak;

import dev.weft.io.BufPool;
import dev.weft.spi.AbstractRuntime;
import dev.weft.spi.Faults;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One soak run: a Weft echo server and its clients (two runtimes in this JVM) for the configured
 * time, a sample line per interval, then the verdicts. See {@link Soak}.
 */
final class SoakRun {
    /** Heap after GC may grow by this fraction of the first third's mean... */
    static final double MARGIN_FRACTION = 0.10;
    /** ...plus this many bytes, before the soak calls it growing. */
    static final long MARGIN_BYTES = 4L << 20;

    /** One sample: heap used after a full GC, RSS, messages echoed in the interval, live tasks. */
    record Sample(int index, long heapAfterGc, long rss, long echoed, int liveTasks) {
        /** {@code heap-after-gc 21.4 MiB rss 180.2 MiB echoed 1234567 live-tasks 1003}. */
        String describeLine() {
            return String.format(Locale.ROOT, "heap-after-gc %.1f MiB rss %.1f MiB echoed %d live-tasks %d",
                    mib(heapAfterGc), mib(rss), echoed, liveTasks);
        }

        String describe() {
            return String.format(Locale.ROOT, "heap after GC %.1f MiB, RSS %.1f MiB, %d live tasks",
                    mib(heapAfterGc), mib(rss), liveTasks);
        }
    }

    /** The outcome: the sample lines, the verdict lines, and whether all passed. */
    record Report(List<Sample> samples, List<String> lines, boolean ok) {
        void print(PrintStream out) {
            lines.forEach(out::println);
        }
    }

    private SoakRun() { }

    static Report run(SoakConfig cfg, PrintStream out) throws Exception {
        LongAdder leaks = new LongAdder();
        ConcurrentLinkedQueue<String> leakReports = new ConcurrentLinkedQueue<>();
        BufPool.LeakListener onLeak = leak -> {
            leaks.increment();
            if (leakReports.size() < 5) {
                leakReports.add(leak.kind() + ": " + leak.message());
            }
        };
        BufPool serverPool = BufPool.builder(16 * 1024, cfg.connections() + 64).direct().name("soak-server")
                .leakDetection(true).leakListener(onLeak).build();
        BufPool clientPool = BufPool.builder(Math.max(64, cfg.message()), 2 * cfg.connections() + 64).direct()
                .name("soak-clients").leakDetection(true).leakListener(onLeak).build();
        LongAdder faults = new LongAdder();
        ConcurrentLinkedQueue<String> faultSamples = new ConcurrentLinkedQueue<>();
        AutoCloseable faultListener = Faults.addListener(f -> {
            faults.increment();
            if (faultSamples.size() < 5) {
                faultSamples.add(f.toString());
            }
        });
        List<Sample> samples = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        boolean clientsStopped;
        boolean closedInTime = true;
        String unit = cfg.interval().equals(Duration.ofMinutes(1)) ? "minute" : "interval";
        SoakServer server = new SoakServer(cfg.workers(), serverPool);
        SoakClients clients = new SoakClients(cfg.workers(), clientPool, server.address(), cfg.message());
        try {
            long start = System.nanoTime();
            clients.start(cfg.connections());
            out.println(String.format(Locale.ROOT, "soak start: %d connections, %d-byte messages, %d workers per runtime; %s",
                    cfg.connections(), cfg.message(), cfg.workers(), sample(0, 0, server, clients).describe()));
            out.flush();
            long intervals = Math.max(1, cfg.duration().toNanos() / cfg.interval().toNanos());
            for (int i = 1; i <= intervals; i++) {
                long at = start + i * cfg.interval().toNanos();
                long sleep = at - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
                Sample s = sample(i, clients.takeEchoed(), server, clients);
                samples.add(s);
                String line = "soak " + unit + " " + i + (unit.equals("minute") ? "" : " (+" + cfg.interval().multipliedBy(i).toSeconds() + " s)")
                        + " " + s.describeLine();
                lines.add(line);
                out.println(line);
                out.flush();
            }
        } finally {
            clientsStopped = clients.stop(Duration.ofSeconds(10));
            for (Thread t : List.of(Thread.ofPlatform().start(clients::close), Thread.ofPlatform().start(server::close))) {
                t.join(15_000);
                closedInTime &= !t.isAlive();
            }
            faultListener.close();
        }
        // Every connection has ended: nothing may be out of either pool.
        int outstanding = serverPool.outstanding() + clientPool.outstanding();
        for (BufPool pool : List.of(serverPool, clientPool)) {
            try {
                pool.close();        // reports buffers still out (counted in leaks)
            } catch (IllegalStateException inUse) {
                leaks.increment();   // a buffer is in an I/O call on a thread that did not stop
                leakReports.add("BufPool '" + pool.name() + "' could not close: " + inUse.getMessage());
            }
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);       // the leak detector reports unreachable buffers from its own thread
        }
        List<String> verdicts = verdicts(samples, leaks.sum(), leakReports, outstanding, clients, faults.sum(), faultSamples,
                clientsStopped, closedInTime);
        lines.addAll(verdicts);
        boolean ok = verdicts.stream().noneMatch(l -> l.contains("FAILED") || l.contains("GROWING"));
        String result = ok ? "soak result ok" : "soak result FAILED";
        lines.add(result);
        verdicts.forEach(out::println);
        out.println(result);
        return new Report(samples, lines, ok);
    }

    private static List<String> verdicts(List<Sample> samples, long leaks, Iterable<String> leakReports, int outstanding,
                                         SoakClients clients, long faults, Iterable<String> faultSamples,
                                         boolean clientsStopped, boolean closedInTime) {
        List<String> v = new ArrayList<>();
        int n = samples.size();
        int third = Math.max(1, n / 3);
        double first = samples.subList(0, third).stream().mapToLong(Sample::heapAfterGc).average().orElse(0);
        double last = samples.subList(n - third, n).stream().mapToLong(Sample::heapAfterGc).average().orElse(0);
        double limit = first * (1 + MARGIN_FRACTION) + MARGIN_BYTES;
        v.add(String.format(Locale.ROOT, "soak memory %s (heap after GC: mean of the first %d samples %.1f MiB, of the last %d "
                        + "%.1f MiB; growing means above the first by more than %.0f%% + %d MiB, i.e. above %.1f MiB)",
                last <= limit ? "flat" : "GROWING", third, mib(first), third, mib(last), MARGIN_FRACTION * 100,
                MARGIN_BYTES >> 20, mib(limit)));
        long leaked = leaks + outstanding;
        v.add("soak leaks " + leaked + " " + (leaked == 0 ? "ok" : "FAILED"));
        if (leaked != 0) {
            v.add("soak   buffers out after every connection closed: " + outstanding);
            leakReports.forEach(r -> v.add("soak   " + r));
        }
        long errors = clients.errors();
        v.add("soak echo-errors " + errors + " " + (errors == 0 ? "ok" : "FAILED"));
        clients.errorSamples().forEach(e -> v.add("soak   " + e));
        v.add("soak faults " + faults + " " + (faults == 0 ? "ok" : "FAILED"));
        faultSamples.forEach(f -> v.add("soak   " + f));
        boolean stopped = clientsStopped && closedInTime;
        v.add("soak shutdown " + (stopped ? "ok" : "FAILED") + (clientsStopped ? "" : " (clients did not stop within 10 s)")
                + (closedInTime ? "" : " (a runtime's close() did not return within 15 s)"));
        return v;
    }

    private static Sample sample(int index, long echoed, SoakServer server, SoakClients clients) {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int live = ((AbstractRuntime) server.runtime()).liveTaskCount() + ((AbstractRuntime) clients.runtime()).liveTaskCount();
        return new Sample(index, heap, rss(), echoed, live);
    }

    /** Resident set size from {@code /proc/self/status} (VmRSS), or -1 where there is none. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    static double mib(double bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
