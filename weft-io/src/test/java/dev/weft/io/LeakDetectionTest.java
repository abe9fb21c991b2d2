package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.io.internal.LeakLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Buffers not given back are reported with where they were taken: at close, and when they become unreachable. */
class LeakDetectionTest {

    private static String trace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    @Test
    void closeReportsEachOutstandingBufferWithWhereItWasTaken() {
        List<BufPool.Leak> leaks = new CopyOnWriteArrayList<>();
        BufPool pool = BufPool.builder(256, 4).direct().name("conns").leakDetection(true).leakListener(leaks::add).build();
        IoBuf kept = takeForAConnection(pool);
        pool.give(pool.take());
        pool.close();
        assertThat(leaks).hasSize(1);
        BufPool.Leak leak = leaks.getFirst();
        assertThat(leak.kind()).isEqualTo(BufPool.Leak.Kind.OUTSTANDING_AT_CLOSE);
        assertThat(leak.pool()).isEqualTo("conns");
        assertThat(leak.bufferSize()).isEqualTo(256);
        assertThat(leak.message()).contains("was still taken when the pool closed").contains("pool.give(buf)");
        assertThat(trace(leak.takenAt())).as("the report says where").contains("takeForAConnection");
        assertThat(kept.capacity()).isEqualTo(256);
    }

    private static IoBuf takeForAConnection(BufPool pool) {
        return pool.take();
    }

    @Test
    void aBufferDroppedWithoutGiveIsReportedAndItsMemoryReused() throws Exception {
        List<BufPool.Leak> leaks = new CopyOnWriteArrayList<>();
        try (BufPool pool = BufPool.builder(128, 2).heap().leakDetection(true).leakListener(leaks::add).build()) {
            forgetOne(pool);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (leaks.isEmpty() && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assertThat(leaks).as("the leak detector noticed the dropped buffer").hasSize(1);
            BufPool.Leak leak = leaks.getFirst();
            assertThat(leak.kind()).isEqualTo(BufPool.Leak.Kind.UNREACHABLE);
            assertThat(trace(leak.takenAt())).contains("forgetOne");
            assertThat(leak.message()).contains("became unreachable without being given back");
            Harness.awaitTrue(() -> pool.available() == 2, 5_000, "the memory is back in the pool");
            assertThat(pool.outstanding()).isZero();
        }
        assertThat(leaks).as("nothing more at close").hasSize(1);
    }

    private static void forgetOne(BufPool pool) {
        IoBuf lost = pool.take();
        lost.slice(0, 4).putInt(1);       // views share the lease: all must be gone for the report
    }

    @Test
    void withoutDetectionCloseStillCountsTheLeaksAndSaysHowToFindThem() {
        List<BufPool.Leak> leaks = new CopyOnWriteArrayList<>();
        BufPool pool = BufPool.builder(64, 2).leakDetection(false).leakListener(leaks::add).build();
        pool.take();
        pool.take();
        pool.close();
        assertThat(leaks).hasSize(2).allSatisfy(l -> {
            assertThat(l.takenAt()).isNull();
            assertThat(l.message()).contains("-Dweft.io.leakDetection=true");
        });
    }

    @Test
    void detectionIsOnInTestsThroughTheSystemPropertyAndTheDefaultListenerLogsAWarningFromItsOwnThread()
            throws InterruptedException {
        assertThat(Boolean.getBoolean("weft.io.leakDetection")).as("set by weft-io's pom for every test").isTrue();
        Logger jul = Logger.getLogger(BufPool.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        List<Thread> publishers = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                publishers.add(Thread.currentThread());
                records.add(r);
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        jul.addHandler(h);
        try {
            BufPool pool = BufPool.heap(32, 1);
            pool.take();
            pool.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (records.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            jul.removeHandler(h);
        }
        assertThat(records).hasSize(1);
        assertThat(records.getFirst().getLevel()).isEqualTo(java.util.logging.Level.WARNING);
        assertThat(records.getFirst().getMessage()).contains("still taken when the pool closed");
        assertThat(trace(records.getFirst().getThrown())).contains("detectionIsOnInTests");
        assertThat(publishers).as("written by weft-io's log thread, never by the task that closed the pool")
                .containsExactly(LeakLog.writer());
        assertThat(LeakLog.writer().getName()).isEqualTo("weft-io-leak-log");
    }
}
