package dev.weft.bench.soak;

import dev.weft.bench.chaos.HangGuard;
import java.time.Duration;

/**
 * {@code ./weft soak [minutes]} (default 10): a long-running check that Weft's I/O path does not
 * leak, not part of CI (a short variant runs in {@code ./weft test}).
 *
 * <p><b>What runs.</b> 500 connections on loopback against a Weft echo server: a multi-thread
 * runtime (2 workers) whose connections are alternately poll tasks and sequential tasks, each with
 * one buffer from a pooled, leak-detecting {@code BufPool}. The clients are a second multi-thread
 * runtime (2 workers) <em>in the same JVM</em>, one sequential task per connection sending 64-byte
 * messages and checking every echoed byte, reconnecting after every 500–5,000 messages. Same JVM,
 * because both sides are Weft (a leak in the client runtime, its driver or its pool is as much a
 * finding as one in the server's), one process is one RSS to watch, and the short variant in the
 * test suite needs no child process; the cost is that a growth does not say which side grew.
 *
 * <p><b>What it prints.</b> A start line, then every minute {@code soak minute N heap-after-gc X
 * MiB rss Y MiB echoed M live-tasks T} (heap used after {@code System.gc()}, VmRSS from
 * {@code /proc/self/status}, messages echoed in that minute, live tasks of both runtimes). At the
 * end: {@code soak memory flat|GROWING} (the mean heap-after-GC of the last third of the samples
 * against the first third's, allowed 10% + 4 MiB more), {@code soak leaks N ok|FAILED} (leak
 * reports of both pools, outstanding or unreachable, plus buffers still out after every
 * connection closed), {@code soak echo-errors}, {@code soak faults} (anything reported through
 * {@code Faults}), {@code soak shutdown} and {@code soak result ok|FAILED}. Exit status 0 if all
 * passed, 1 otherwise, 3 if the harness hung.
 *
 * <p>Options: {@code -Dweft.soak.connections=500}, {@code -Dweft.soak.intervalSeconds=60},
 * {@code -Dweft.soak.message=64}, {@code -Dweft.soak.workers=2}.
 */
public final class Soak {
    private Soak() { }

    public static void main(String[] args) throws Exception {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        Duration duration = Duration.ofMillis((long) (minutes * 60_000));
        SoakConfig cfg = SoakConfig.fromSystemProperties(duration);
        HangGuard guard = HangGuard.arm("soak", duration.plusMinutes(2), System.out);
        SoakRun.Report report = SoakRun.run(cfg, System.out);
        guard.disarm();
        System.out.flush();
        System.exit(report.ok() ? 0 : 1);
    }
}
