package dev.weft.bench;

import dev.weft.bench.memory.MemorySuite;
import dev.weft.bench.micro.CarrierScaling;
import dev.weft.bench.micro.MicroSuite;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of several launches of a suite, reduced to one median per figure with its spread
 * (../shared/BENCH-SPEC.md, "Noise"): {@code ./weft bench <suite> --launches N} collects every
 * launch's figure lines and prints, per (workload, runner, unit), in the spec's workload order
 * and the runners' given order,
 * <pre>
 * micro yield_many weft-multi/poll 38.2 ns/op
 * # spread 35.1..41.0 (5 launches)
 * </pre>
 * A runner that printed no figure at all is reported on stderr, one line, with the reason the
 * launches recorded (skipped, exit status, or nothing printed); it gets no median line.
 *
 * <p>As a program, {@code Launches <suite> <launches> [--runners a,b,…] [file…]} (stdin without
 * files) reads figure lines ({@code <suite> <workload> <runner> <value> <unit>}) and the launcher's
 * status lines {@code # launch <i>/<n> runner <r> exit <code>} and
 * {@code # launch <i>/<n> runner <r> skipped: <reason>}; other lines are ignored. Exit status 0,
 * or 1 if a runner printed no figure.
 */
public final class Launches {
    /** One figure line of the spec: {@code <suite> <workload> <runner> <value> <unit>}. */
    public record Figure(String suite, String workload, String runner, BigDecimal value, String unit) {
        private static final Pattern LINE = Pattern.compile("(\\S+) (\\S+) (\\S+) (-?[0-9]+(?:\\.[0-9]+)?) (\\S+)");

        /** The figure on {@code line}, or empty if it is not a figure line. */
        public static Optional<Figure> parse(String line) {
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches() || line.startsWith("#")) {
                return Optional.empty();
            }
            return Optional.of(new Figure(m.group(1), m.group(2), m.group(3), new BigDecimal(m.group(4)), m.group(5)));
        }

        @Override
        public String toString() {
            return suite + " " + workload + " " + runner + " " + value.toPlainString() + " " + unit;
        }
    }

    private static final Pattern STATUS = Pattern.compile("# launch (\\d+)(?:/\\d+)? runner (\\S+) (?:exit (-?\\d+)|skipped: (.*))");

    private final String suite;
    private final int launches;
    private final SequencedSet<String> runners = new LinkedHashSet<>();
    private final SequencedSet<String> workloads = new LinkedHashSet<>();
    private final SequencedSet<String> units = new LinkedHashSet<>();
    private final Map<List<String>, List<BigDecimal>> values = new LinkedHashMap<>();
    private final Map<String, String> skipped = new LinkedHashMap<>();
    private final Map<String, List<Integer>> failedExits = new LinkedHashMap<>();

    /**
     * @param suite    the suite whose figure lines count (others are ignored)
     * @param launches how many launches of each runner were made
     * @param runners  the runners in the order to report them (a runner seen only in the figures
     *                 comes after these)
     */
    public Launches(String suite, int launches, List<String> runners) {
        if (launches < 1) {
            throw new IllegalArgumentException("launches must be at least 1, got " + launches);
        }
        this.suite = suite;
        this.launches = launches;
        this.runners.addAll(runners);
    }

    /** Adds the figure on {@code line} if it is one of this suite's; returns whether it was. */
    public boolean addLine(String line) {
        Optional<Figure> f = Figure.parse(line);
        if (f.isEmpty() || !f.get().suite().equals(suite)) {
            return false;
        }
        add(f.get());
        return true;
    }

    /** Adds one launch's figure. */
    public void add(Figure f) {
        if (!f.suite().equals(suite)) {
            throw new IllegalArgumentException("a " + f.suite() + " figure in the " + suite + " launches: " + f);
        }
        runners.add(f.runner());
        workloads.add(f.workload());
        units.add(f.unit());
        values.computeIfAbsent(List.of(f.workload(), f.runner(), f.unit()), k -> new ArrayList<>()).add(f.value());
    }

    /** Records that a launch of {@code runner} was skipped, and why (the first reason is kept). */
    public void skipped(String runner, String reason) {
        runners.add(runner);
        skipped.putIfAbsent(runner, reason);
    }

    /** Records a launch's exit status (only a non-zero one matters: it is the reason for missing figures). */
    public void exited(String runner, int status) {
        runners.add(runner);
        if (status != 0) {
            failedExits.computeIfAbsent(runner, r -> new ArrayList<>()).add(status);
        }
    }

    /** Reads figure and status lines (see the class comment). */
    public void read(Reader in) throws IOException {
        BufferedReader lines = new BufferedReader(in);
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            Matcher m = STATUS.matcher(line.strip());
            if (m.matches()) {
                if (m.group(3) != null) {
                    exited(m.group(2), Integer.parseInt(m.group(3)));
                } else {
                    skipped(m.group(2), m.group(4).strip());
                }
            } else {
                addLine(line);
            }
        }
    }

    /**
     * Prints the median line and the spread line of every figure to {@code out}, and one line per
     * missing runner or figure to {@code err}. Returns true if every runner printed some figure.
     */
    public boolean report(PrintStream out, PrintStream err) {
        boolean complete = true;
        for (String runner : runners) {
            if (values.keySet().stream().noneMatch(k -> k.get(1).equals(runner))) {
                err.println("weft: " + suite + " " + runner + ": no figures in " + plural(launches, "launch") + " ("
                        + whyMissing(runner) + ")");
                complete = false;
            }
        }
        for (String workload : workloadOrder()) {
            for (String runner : runners) {
                boolean any = false;
                for (String unit : units) {
                    List<BigDecimal> vs = values.get(List.of(workload, runner, unit));
                    if (vs == null) {
                        continue;
                    }
                    any = true;
                    out.println(suite + " " + workload + " " + runner + " " + median(vs).toPlainString() + " " + unit);
                    out.println("# spread " + min(vs).toPlainString() + ".." + max(vs).toPlainString() + " ("
                            + (vs.size() == launches ? plural(launches, "launch") : vs.size() + " of " + plural(launches, "launch"))
                            + ")");
                }
                boolean runnerHasFigures = values.keySet().stream().anyMatch(k -> k.get(1).equals(runner));
                if (!any && runnerHasFigures) {
                    err.println("weft: " + suite + " " + workload + " " + runner + ": no figure in " + plural(launches, "launch")
                            + " (" + whyMissing(runner) + ")");
                }
            }
        }
        out.flush();
        err.flush();
        return complete;
    }

    private String whyMissing(String runner) {
        if (skipped.containsKey(runner)) {
            return "skipped: " + skipped.get(runner);
        }
        List<Integer> exits = failedExits.get(runner);
        if (exits != null) {
            return "exit status " + exits.stream().distinct().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElseThrow()
                    + " in " + exits.size() + " of " + plural(launches, "launch");
        }
        return "it printed no figure line";
    }

    /** The spec's workload order for this suite, then any other workload in the order first seen. */
    private List<String> workloadOrder() {
        SequencedSet<String> order = new LinkedHashSet<>(specWorkloads(suite));
        order.retainAll(workloads);
        order.addAll(workloads);
        return List.copyOf(order);
    }

    /** The workloads of a BENCH-SPEC suite, in the spec's order (empty for a suite it does not know). */
    static List<String> specWorkloads(String suite) {
        return switch (suite) {
            case "micro" -> MicroSuite.WORKLOADS;
            case "echo" -> List.of("c1", "c50", "c500");
            case "scaling" -> CarrierScaling.WORKLOADS;
            case "memory" -> MemorySuite.WORKLOADS;
            default -> List.of();
        };
    }

    /**
     * The median: the middle value of an odd count; of an even count, the mean of the two middle
     * values, to the values' own precision unless halving needs one more digit.
     */
    static BigDecimal median(List<BigDecimal> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<BigDecimal> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        if (n % 2 == 1) {
            return sorted.get(n / 2);
        }
        BigDecimal a = sorted.get(n / 2 - 1);
        BigDecimal b = sorted.get(n / 2);
        int scale = Math.max(a.scale(), b.scale());
        BigDecimal mean = a.add(b).divide(BigDecimal.TWO);     // exact: halving adds at most one digit
        try {
            return mean.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException needsOneMore) {
            return mean.setScale(scale + 1, RoundingMode.UNNECESSARY);
        }
    }

    private static BigDecimal min(List<BigDecimal> vs) {
        return vs.stream().min(Comparator.naturalOrder()).orElseThrow();
    }

    private static BigDecimal max(List<BigDecimal> vs) {
        return vs.stream().max(Comparator.naturalOrder()).orElseThrow();
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "es");
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Launches <suite> <launches> [--runners a,b,...] [file...]  (stdin without files)");
            System.exit(2);
        }
        List<String> runners = List.of();
        List<String> files = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--runners") && i + 1 < args.length) {
                runners = List.of(args[++i].split("[, ]+")).stream().filter(s -> !s.isEmpty()).toList();
            } else {
                files.add(args[i]);
            }
        }
        Launches all = new Launches(args[0], Integer.parseInt(args[1]), runners);
        if (files.isEmpty()) {
            all.read(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        for (String f : files) {
            try (Reader r = Files.newBufferedReader(Path.of(f), StandardCharsets.UTF_8)) {
                all.read(r);
            }
        }
        System.exit(all.report(System.out, System.err) ? 0 : 1);
    }
}
