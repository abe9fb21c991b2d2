package dev.weft.bench;

import dev.weft.bench.cameras.CamerasSuite;
import dev.weft.bench.memory.MemorySuite;
import dev.weft.bench.micro.MicroSuite;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of the benchmark harness: {@code BenchMain micro <runner> [workload...]},
 * {@code BenchMain memory <runner> [workload...]} or {@code BenchMain cameras <runner>}. The
 * launcher ({@code ./weft bench micro|memory|cameras}) runs one JVM per runner (and launch) and
 * collects the figure lines.
 */
public final class BenchMain {
    private BenchMain() { }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("cameras")) {
            CamerasSuite.run(args[1]);
            System.exit(0);
        }
        if (args.length >= 2 && args[0].equals("memory")) {
            MemorySuite.run(args[1], Arrays.asList(args).subList(2, args.length));
            System.exit(0);
        }
        if (args.length < 2 || !args[0].equals("micro")) {
            System.err.println("usage: BenchMain micro <runner> [workload...]; runners: " + MicroSuite.RUNNERS);
            System.err.println("       BenchMain memory <runner> [workload...]; runners: " + MemorySuite.RUNNERS);
            System.err.println("       BenchMain cameras <runner>; runners: " + CamerasSuite.RUNNERS);
            System.exit(2);
        }
        List<String> only = Arrays.asList(args).subList(2, args.length);
        MicroSuite.run(args[1], only);
        System.exit(0);
    }
}
