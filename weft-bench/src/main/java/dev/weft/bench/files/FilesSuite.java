package dev.weft.bench.files;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.AsyncFile;
import dev.weft.io.IoBuf;
import dev.weft.runtime.Runtimes;
import dev.weft.bench.Percentiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@code files} suite of ../shared/BENCH-SPEC.md: 4 KiB reads at random aligned offsets of one
 * file, with 1 ({@code qd1}) or 32 ({@code qd32}) in flight, for {@code weft.bench.files.seconds}
 * (10) after {@code weft.bench.files.warmup} (3) seconds; figures {@code ops/s} and the p99 read
 * latency in {@code us}.
 *
 * <p>{@code FilesSuite prepare <path>} writes the file ({@code weft.bench.files.bytes}, 1 GiB) and reads it once (the page cache
 * is warm for every runner alike); {@code FilesSuite <runner> <path>} measures one runner:
 * <ul>
 *   <li>{@code weft-uring/poll}: one poll task per reader, {@code AsyncFile.readAtFuture} on the
 *       io_uring driver;</li>
 *   <li>{@code weft-uring/vthread}: one sequential task per reader, {@code AsyncFile.readAt} on the
 *       io_uring driver (the kernel does the read; no pool thread);</li>
 *   <li>{@code weft-nio/vthread}: the same code on the NIO driver (each read on the blocking pool);</li>
 *   <li>{@code jdk/vthread}: one virtual thread per reader, {@code FileChannel.read} at a position.</li>
 * </ul>
 * Every runtime has 2 workers (the JDK's scheduler its default parallelism).
 */
public final class FilesSuite {
    static final int BLOCK = 4096;
    static final int[] DEPTHS = {1, 32};
    /** Warm-up and measured seconds per workload. */
    record Settings(double warmup, double seconds) {
        static Settings fromProperties() {
            return new Settings(Double.parseDouble(System.getProperty("weft.bench.files.warmup", "3")),
                    Double.parseDouble(System.getProperty("weft.bench.files.seconds", "10")));
        }
    }

    static final List<String> RUNNERS = List.of("weft-uring/poll", "weft-uring/vthread", "weft-nio/vthread", "jdk/vthread");
    /** Latency buckets of 1 us up to 100 ms (slower reads count in the last); one more slot carries the count. */
    private static final int BUCKETS = 100_000;

    private FilesSuite() { }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("prepare")) {
            prepare(Path.of(args[1]), Long.getLong("weft.bench.files.bytes", 1L << 30));
            return;
        }
        if (args.length != 2 || !RUNNERS.contains(args[0])) {
            System.err.println("usage: FilesSuite prepare <path> | FilesSuite <runner> <path>; runners: " + RUNNERS);
            System.exit(2);
        }
        run(args[0], Path.of(args[1]), Settings.fromProperties(), System.out);
    }

    /** Measures {@code runner} on the file at {@code path}: both workloads, their figure lines to {@code out}. */
    static void run(String runner, Path path, Settings settings, java.io.PrintStream out) throws Exception {
        if (runner.startsWith("weft-uring") && !dev.weft.uring.Uring.isAvailable()) {
            System.err.println("weft: files runner " + runner + " skipped: io_uring is unavailable here: "
                    + dev.weft.uring.Uring.unavailabilityCause());
            return;
        }
        long blocks = Files.size(path) / BLOCK;
        for (int depth : DEPTHS) {
            long[] histogram = new long[BUCKETS + 1];
            long ops = switch (runner) {
                case "weft-uring/poll" -> weftPoll(path, blocks, depth, settings, histogram);
                case "weft-uring/vthread" -> weft(path, blocks, depth, "io_uring", settings, histogram);
                case "weft-nio/vthread" -> weft(path, blocks, depth, "nio", settings, histogram);
                default -> jdk(path, blocks, depth, settings, histogram);
            };
            out.printf("files qd%d %s %.0f ops/s%n", depth, runner, ops / settings.seconds());
            out.printf("files qd%d %s %d us%n", depth, runner, Percentiles.ofHistogram(histogram, ops, 0.99));
        }
    }

    /** Writes {@code bytes} of varied data to {@code path}, then reads it once. */
    static void prepare(Path path, long bytes) throws IOException {
        SplittableRandom rnd = new SplittableRandom(42);
        byte[] chunk = new byte[1 << 20];
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long at = 0; at < bytes; at += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long v = rnd.nextLong();
                    for (int b = 0; b < 8; b++) {
                        chunk[i + b] = (byte) (v >>> (8 * b));
                    }
                }
                ByteBuffer bb = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, bytes - at));
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            }
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer bb = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(bb.clear()) > 0) {
                // warms the page cache
            }
        }
    }

    /** {@code depth} sequential tasks reading through {@link AsyncFile} on a 2-worker runtime with {@code driver}. */
    private static long weft(Path path, long blocks, int depth, String driver, Settings settings, long[] histogram) throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("files-" + driver).workers(2).ioDriver(driver).build()) {
            return rt.run(() -> {
                try (AsyncFile file = AsyncFile.open(path)) {
                    long start = System.nanoTime();
                    long from = start + (long) (settings.warmup() * 1e9);
                    long to = from + (long) (settings.seconds() * 1e9);
                    List<Task<long[]>> readers = new ArrayList<>();
                    for (int r = 0; r < depth; r++) {
                        int seed = r;
                        readers.add(Weft.spawn(() -> {
                            long[] mine = new long[BUCKETS + 2];
                            SplittableRandom rnd = new SplittableRandom(seed);
                            IoBuf buf = IoBuf.allocateDirect(BLOCK);
                            long count = 0;
                            for (long now = System.nanoTime(); now < to; ) {
                                long at = rnd.nextLong(blocks) * BLOCK;
                                file.readAt(buf.clear(), at);
                                long done = System.nanoTime();
                                if (now >= from) {
                                    mine[(int) Math.min((done - now) / 1_000, BUCKETS)]++;
                                    count++;
                                }
                                now = done;
                            }
                            return withCount(mine, count);
                        }));
                    }
                    return merge(readers.stream().map(Task::join).toList(), histogram);
                }
            });
        }
    }

    /** {@code depth} poll tasks, each a loop of {@link AsyncFile#readAtFuture} on the io_uring driver. */
    private static long weftPoll(Path path, long blocks, int depth, Settings settings, long[] histogram) throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("files-poll").workers(2).ioDriver("io_uring").build()) {
            AsyncFile file = rt.run(() -> AsyncFile.open(path));
            try {
                long start = System.nanoTime();
                long from = start + (long) (settings.warmup() * 1e9);
                long to = from + (long) (settings.seconds() * 1e9);
                List<Task<long[]>> readers = new ArrayList<>();
                for (int r = 0; r < depth; r++) {
                    SplittableRandom rnd = new SplittableRandom(r);
                    readers.add(rt.spawnFuture(new dev.weft.Future<long[]>() {
                        private final long[] mine = new long[BUCKETS + 2];
                        private final IoBuf buf = IoBuf.allocateDirect(BLOCK);
                        private dev.weft.Future<Integer> current;
                        private long began;
                        private long count;

                        @Override
                        public dev.weft.Poll<long[]> poll(dev.weft.Context cx) {
                            for (;;) {
                                if (current == null) {
                                    began = System.nanoTime();
                                    if (began >= to) {
                                        return dev.weft.Poll.ready(withCount(mine, count));
                                    }
                                    current = file.readAtFuture(buf.clear(), rnd.nextLong(blocks) * BLOCK);
                                }
                                if (current.poll(cx).isPending()) {
                                    return dev.weft.Poll.pending();
                                }
                                current = null;
                                long done = System.nanoTime();
                                if (began >= from) {
                                    mine[(int) Math.min((done - began) / 1_000, BUCKETS)]++;
                                    count++;
                                }
                            }
                        }
                    }));
                }
                return merge(rt.run(() -> readers.stream().map(Task::join).toList()), histogram);
            } finally {
                rt.run(file::close);
            }
        }
    }

    /** {@code depth} plain virtual threads (the JDK's scheduler) reading with {@code FileChannel.read} at a position. */
    private static long jdk(Path path, long blocks, int depth, Settings settings, long[] histogram) throws Exception {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long start = System.nanoTime();
            long from = start + (long) (settings.warmup() * 1e9);
            long to = from + (long) (settings.seconds() * 1e9);
            long[][] results = new long[depth][];
            List<Thread> threads = new ArrayList<>();
            for (int r = 0; r < depth; r++) {
                int seed = r;
                threads.add(Thread.ofVirtual().start(() -> {
                    long[] mine = new long[BUCKETS + 2];
                    SplittableRandom rnd = new SplittableRandom(seed);
                    ByteBuffer bb = ByteBuffer.allocateDirect(BLOCK);
                    long count = 0;
                    try {
                        for (long now = System.nanoTime(); now < to; ) {
                            long at = rnd.nextLong(blocks) * BLOCK;
                            ch.read(bb.clear(), at);
                            long done = System.nanoTime();
                            if (now >= from) {
                                mine[(int) Math.min((done - now) / 1_000, BUCKETS)]++;
                                count++;
                            }
                            now = done;
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    results[seed] = withCount(mine, count);
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            return merge(java.util.Arrays.asList(results), histogram);
        }
    }

    /** The histogram with the count in its last slot (one array to return from a task; no copy). */
    private static long[] withCount(long[] histogram, long count) {
        histogram[histogram.length - 1] = count;
        return histogram;
    }

    private static long merge(List<long[]> parts, long[] histogram) {
        long total = 0;
        for (long[] p : parts) {
            for (int i = 0; i < histogram.length; i++) {
                histogram[i] += p[i];
            }
            total += p[histogram.length];
        }
        return total;
    }
}
