package dev.weft.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The scanner finds each kind of queued lock, and not javac's try-with-resources bookkeeping. */
class QueuedLockScannerTest {
    private final QueuedLockScanner scanner = new QueuedLockScanner(getClass().getClassLoader());

    @Test
    void findsSynchronizedMethodsAndBlocks() {
        assertThat(scan(Monitors.class)).extracting(Violation::method, Violation::rule, Violation::what)
                .containsExactlyInAnyOrder(
                        tuple("method", Rule.MONITOR, "synchronized method (ACC_SYNCHRONIZED)"),
                        tuple("block", Rule.MONITOR, "synchronized block (monitorenter)"),
                        tuple("waits", Rule.MONITOR, "synchronized block (monitorenter)"),
                        tuple("waits", Rule.WAIT_NOTIFY, "calls java.lang.Object.wait(long)"),
                        tuple("waits", Rule.WAIT_NOTIFY, "calls java.lang.Object.notifyAll()"));
    }

    @Test
    void findsQueuedLocksByConstructionCallMethodReferenceAndSubclass() {
        List<Violation> found = scan(QueuedLocks.class);
        assertThat(found).allMatch(v -> v.rule() == Rule.QUEUED_LOCK);
        assertThat(found).extracting(Violation::what).contains(
                "constructs java.util.concurrent.locks.ReentrantLock",
                "calls java.util.concurrent.locks.ReentrantLock.tryLock()",
                "calls java.util.concurrent.locks.Condition.await()",
                "calls java.util.concurrent.locks.StampedLock.readLock()",
                "refers to java.util.concurrent.CountDownLatch.<init>(int)");
        assertThat(scan(OwnLock.class)).extracting(Violation::method, Violation::what)
                .contains(tuple("<class>", "extends java.util.concurrent.locks.ReentrantLock"));
    }

    @Test
    void findsTheJdkMethodsThatTakeALock() {
        List<Violation> found = scan(JdkLocks.class);
        assertThat(found).filteredOn(v -> v.method().equals("suppress"))
                .singleElement().extracting(Violation::rule).isEqualTo(Rule.ADD_SUPPRESSED);
        assertThat(found).filteredOn(v -> v.method().equals("clean"))
                .singleElement().extracting(Violation::rule).isEqualTo(Rule.CLEANER);
        assertThat(found).filteredOn(v -> v.method().equals("autoArena"))
                .singleElement().extracting(Violation::rule).isEqualTo(Rule.CLEANER);
        assertThat(found).filteredOn(v -> v.method().equals("log")).extracting(Violation::rule)
                .containsOnly(Rule.LOGGING).hasSize(4);      // System.Logger, JUL, System.err, printStackTrace()
    }

    @Test
    void javacsTryWithResourcesSuppressionIsNotReportedButAHandWrittenOneIs() {
        List<Violation> found = scan(TryWithResources.class);
        assertThat(found).extracting(Violation::method).containsExactly("byHand");
    }

    @Test
    void reportsTheSourceLine() {
        Violation v = scan(Monitors.class).stream().filter(x -> x.method().equals("block")).findFirst().orElseThrow();
        assertThat(v.line()).isPositive();
        assertThat(v.format()).startsWith("dev.weft.rules.QueuedLockScannerTest$Monitors.block()void (QueuedLockScannerTest.java:")
                .endsWith("[MONITOR] synchronized block (monitorenter)");
    }

    @Test
    void cleanCodeHasNoFindings() {
        assertThat(scan(Clean.class)).isEmpty();
    }

    private List<Violation> scan(Class<?> c) {
        String resource = c.getName().substring(c.getPackageName().length() + 1) + ".class";
        try (InputStream in = c.getResourceAsStream(resource)) {
            return scanner.scan(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ fixtures (compiled, never run)

    @SuppressWarnings("unused")
    static final class Monitors {
        private final Object lock = new Object();

        synchronized void method() { }

        void block() {
            synchronized (lock) {
                lock.hashCode();
            }
        }

        void waits() throws InterruptedException {
            synchronized (this) {
                lock.wait(1);
                notifyAll();
            }
        }
    }

    @SuppressWarnings("unused")
    static final class QueuedLocks {
        void locks() throws InterruptedException {
            ReentrantLock l = new ReentrantLock();
            if (l.tryLock()) {
                Condition c = l.newCondition();
                c.await();
            }
            new StampedLock().readLock();
            java.util.function.IntFunction<CountDownLatch> latches = CountDownLatch::new;
            latches.apply(1);
        }
    }

    @SuppressWarnings({"unused", "serial"})
    static final class OwnLock extends ReentrantLock { }

    @SuppressWarnings("unused")
    static final class JdkLocks {
        void suppress(Exception a, Exception b) {
            a.addSuppressed(b);
        }

        void clean(Cleaner c, Object o) {
            c.register(o, () -> { });
        }

        java.lang.foreign.MemorySegment autoArena() {
            return java.lang.foreign.Arena.ofAuto().allocate(8);      // registers with a Cleaner
        }

        void log(Exception e) {
            System.getLogger("x").log(System.Logger.Level.INFO, "m");
            java.util.logging.Logger.getAnonymousLogger();
            System.err.println("m");
            e.printStackTrace();
        }
    }

    @SuppressWarnings("unused")
    static final class TryWithResources {
        void generated(AutoCloseable r) throws Exception {
            try (r) {
                r.hashCode();
            }
        }

        void generatedWithNew(Supplier<AutoCloseable> s) throws Exception {
            try (AutoCloseable r = s.get(); AutoCloseable q = s.get()) {
                r.hashCode();
                q.hashCode();
            }
        }

        void byHand(Exception shared, Runnable r) {
            try {
                r.run();
            } catch (RuntimeException e) {
                shared.addSuppressed(e);
            }
        }
    }

    @SuppressWarnings("unused")
    static final class Clean {
        private final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

        int inc() {
            java.util.concurrent.locks.LockSupport.unpark(Thread.currentThread());
            return n.incrementAndGet();
        }
    }
}
