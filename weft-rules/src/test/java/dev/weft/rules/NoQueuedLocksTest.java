package dev.weft.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md decision 12, checked over the compiled classes: code that Weft's workers or the
 * virtual threads they carry run takes no queued lock — no {@code synchronized}, no
 * {@code wait/notify}, no {@code java.util.concurrent} lock or queued synchronizer, and none of the
 * JDK methods the project learned take one ({@link Rule} lists them; {@link QueuedLockScanner} says
 * exactly what is matched). Use {@code dev.weft.internal.SpinLock} (short sections that never park)
 * or a lock-free structure instead.
 *
 * <p><b>Scanned:</b> the production classes of {@code weft-core}, {@code weft-runtime},
 * {@code weft-sync}, {@code weft-io} and {@code weft-native}, found through the code source of
 * one class of each ({@link #MODULES}): the {@code target/classes} directory or the module's jar,
 * whichever the build put on the test class path. Not scanned: {@code weft-examples} and
 * {@code weft-bench}, which are applications of Weft (demos and benchmark runners, the latter with
 * non-Weft baselines), not code Weft runs on a user's behalf; a user's task may take any lock at
 * its own risk, and so may theirs.
 *
 * <p><b>Adding an exemption.</b> Only for code that no worker and no virtual thread carried by a
 * runtime ever runs (a thread of its own that no worker waits on), or for a violation that is
 * being fixed elsewhere (under "TO BE FIXED ON MAIN"). Add an {@link Exemption} to
 * {@link #PERMANENT} (or {@link #TO_BE_FIXED_ON_MAIN}): class, method ({@code "*"} for all),
 * rule, one-line reason. An exemption that no longer matches anything fails the test, so the
 * list shrinks when code is fixed.
 */
class NoQueuedLocksTest {

    /** One class per scanned module: its code source is where that module's classes are. */
    static final Map<String, Class<?>> MODULES = modules();

    private static Map<String, Class<?>> modules() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("weft-core", dev.weft.Weft.class);
        m.put("weft-runtime", dev.weft.runtime.Runtimes.class);
        m.put("weft-sync", dev.weft.sync.Channels.class);
        m.put("weft-io", dev.weft.io.IoBuf.class);
        m.put("weft-native", dev.weft.ffi.NativeWake.class);
        m.put("weft-console", dev.weft.console.WeftConsole.class);
        m.put("weft-uring", dev.weft.uring.Uring.class);
        return m;
    }

    /** Exemptions that stay: code that runs only on a thread of its own, which no worker waits on. */
    static final List<Exemption> PERMANENT = List.of(
            new Exemption("dev.weft.runtime.MultiThreadRuntime$Builder", "*", Rule.LOGGING,
                    "the default blocked-worker listener logs; the watchdog's own platform thread calls it"),
            new Exemption("dev.weft.io.internal.LeakLog", "run", Rule.LOGGING,
                    "LeakLog's own daemon thread writes the leak reports that tasks hand it lock-free"),
            new Exemption("dev.weft.internal.Housekeeping", "startAgents", Rule.LOGGING,
                    "runs once on the weft-housekeeping thread, never on a worker: says -Dweft.console found no console module"),
            new Exemption("dev.weft.console.internal.ConsoleAgent", "start", Rule.LOGGING,
                    "-Dweft.console's agent runs once on the weft-housekeeping thread, never on a worker: prints the console's address"),
            new Exemption("dev.weft.internal.Lints", "scan", Rule.LOGGING,
                    "the once-a-second lint scan runs on the weft-housekeeping thread, never on a worker: it logs each lint once"),
            new Exemption("dev.weft.internal.DumpOnExit", "write", Rule.LOGGING,
                    "runs on the JVM's shutdown-hook thread, never on a worker: -Dweft.dumpOnExit's dump to stderr"),
            new Exemption("dev.weft.spi.Faults", "drainForever", Rule.LOGGING,
                    "the weft-faults reporter thread logs the faults that workers hand it lock-free"),
            new Exemption("dev.weft.internal.Failures", "rethrown", Rule.ADD_SUPPRESSED,
                    "copies suppressed failures onto an exception it has just made and not yet published: no other thread can hold its monitor"),
            new Exemption("dev.weft.internal.ScopeState", "record", Rule.ADD_SUPPRESSED,
                    "later child failures are added under the scope's spin lock, so the exception's monitor is never contended between Weft threads"));

    /**
     * TO BE FIXED ON MAIN: known violations, each with why it cannot hang a runtime today and the
     * fix. Remove each entry when its fix lands (the test says when).
     */
    static final List<Exemption> TO_BE_FIXED_ON_MAIN = List.of(
            // Found when the scanner learnt that Arena.ofAuto() registers with a Cleaner (issue 15:
            // a virtual thread blocked on the Cleaner's list while holding the io_uring driver's spin
            // lock hung a current-thread runtime). These three hold no Weft lock around the call, so
            // a contended list only unmounts the task for a moment; the fix is native memory freed
            // through weft-io's own phantom references (Reclaimer) instead of an automatic arena.
            new Exemption("dev.weft.io.IoBuf", "allocateDirect", Rule.CLEANER,
                    "Arena.ofAuto outside any Weft lock; to move onto malloc + Reclaimer"),
            new Exemption("dev.weft.io.BufPool", "take", Rule.CLEANER,
                    "Arena.ofAuto for an overflow buffer, after the pool's lock is released; to move onto malloc + Reclaimer"),
            new Exemption("dev.weft.ffi.NativeWake", "upcallStub", Rule.CLEANER,
                    "an upcall stub's automatic arena, made once per stream outside any Weft lock"));

    @Test
    void codeThatWorkersRunTakesNoQueuedLock() {
        QueuedLockScanner scanner = new QueuedLockScanner(getClass().getClassLoader());
        List<Violation> all = new ArrayList<>();
        for (Map.Entry<String, Class<?>> module : MODULES.entrySet()) {
            Path location = QueuedLockScanner.locationOf(module.getValue());
            List<byte[]> classes = QueuedLockScanner.classesAt(location);
            assertThat(classes.stream().map(QueuedLockScanner::nameOf))
                    .as("%s's classes at %s (found through %s)", module.getKey(), location, module.getValue())
                    .contains(module.getValue().getName());
            for (byte[] c : classes) {
                all.addAll(scanner.scan(c));
            }
        }
        List<Exemption> exemptions = Stream.concat(PERMANENT.stream(), TO_BE_FIXED_ON_MAIN.stream()).toList();

        List<Violation> unexempted = all.stream()
                .filter(v -> exemptions.stream().noneMatch(x -> x.matches(v)))
                .sorted(Comparator.comparing(Violation::className).thenComparing(Violation::method)
                        .thenComparingInt(Violation::line))
                .toList();
        List<Exemption> stale = exemptions.stream()
                .filter(x -> all.stream().noneMatch(x::matches))
                .toList();

        assertThat(unexempted)
                .withFailMessage(() -> "Decision 12 (ARCHITECTURE.md): code that Weft's workers or their virtual"
                        + " threads run must not take a queued lock. " + unexempted.size() + " violation(s):\n  "
                        + unexempted.stream().map(Violation::format).collect(Collectors.joining("\n  "))
                        + "\nUse dev.weft.internal.SpinLock (short sections that never park) or a lock-free"
                        + " structure. Only code that no worker or carried virtual thread runs may instead get a"
                        + " named Exemption in " + getClass().getSimpleName() + ", with its reason.")
                .isEmpty();
        assertThat(stale)
                .withFailMessage(() -> "These exemptions in " + getClass().getSimpleName()
                        + " match nothing any more; remove them:\n  "
                        + stale.stream().map(Exemption::toString).collect(Collectors.joining("\n  ")))
                .isEmpty();
    }
}
