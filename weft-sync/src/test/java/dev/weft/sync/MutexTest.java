package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.CancelledException;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.sync.Harness.CountingWaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Mutex and RwLock: exclusion across awaits, arrival order, guards, and cancellation races. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MutexTest {

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aGuardHeldAcrossAwaitsExcludesOtherTasksAndCancelledWaitersLeaveNoTrace(Harness.Rt kind) {
        Mutex<List<Integer>> log = new Mutex<>(new ArrayList<>());
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                List<Task<?>> tasks = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    int id = t;
                    tasks.add(Weft.spawn(() -> {
                        for (int i = 0; i < 100; i++) {
                            try (var g = log.lock()) {
                                g.get().add(id);
                                Weft.sleep(Duration.ofNanos(ThreadLocalRandom.current().nextLong(200_000)));
                                g.get().add(-id - 1);              // nobody else got in between
                            }
                        }
                    }));
                }
                for (int v = 0; v < 100; v++) {                   // waiters cancelled at random moments
                    Task<?> victim = (v & 1) == 0
                            ? Weft.spawn(() -> {
                                try (var g = log.lock()) {
                                    g.get().add(99);
                                    g.get().add(-100);
                                }
                            })
                            : Weft.spawnFuture(log.lockFuture().map(g -> {
                                g.get().add(99);
                                g.get().add(-100);
                                g.close();
                                return null;
                            }));
                    Weft.sleep(Duration.ofNanos(ThreadLocalRandom.current().nextLong(300_000)));
                    victim.cancel();
                    try {
                        victim.join();
                    } catch (CancelledException ignored) {
                        // it never got the lock, or got it and finished: either way nothing held
                    }
                }
                for (Task<?> t : tasks) {
                    t.join();
                }
            });
        }
        List<Integer> entries = log.tryLock().orElseThrow().get();
        for (int i = 0; i < entries.size(); i += 2) {
            assertThat(entries.get(i + 1)).as("critical sections never interleave").isEqualTo(-entries.get(i) - 1);
        }
        assertThat(entries.stream().filter(x -> x >= 0 && x < 6).count()).isEqualTo(600);
    }

    @Test
    void waitersGetTheLockInArrivalOrder() {
        Mutex<String> m = new Mutex<>("v");
        Mutex.Guard<String> held = m.lock();
        List<Future<Mutex.Guard<String>>> line = new ArrayList<>();
        List<CountingWaker> wakers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CountingWaker w = new CountingWaker();
            Future<Mutex.Guard<String>> f = m.lockFuture();
            assertThat(f.poll(w.cx).isPending()).isTrue();
            line.add(f);
            wakers.add(w);
        }
        assertThat(m.tryLock()).as("a newcomer does not jump the line").isEmpty();
        Mutex.Guard<String> g = held;
        for (int i = 0; i < 5; i++) {
            g.close();
            for (int j = 0; j < 5; j++) {
                assertThat(wakers.get(j).count()).isEqualTo(j <= i ? 1 : 0);
            }
            g = line.get(i).poll(wakers.get(i).cx).value();
            g.set("by " + i);
        }
        assertThat(g.get()).isEqualTo("by 4");
        g.close();
        assertThatThrownBy(g::get).isInstanceOf(IllegalStateException.class);
        assertThat(m.isLocked()).isFalse();
    }

    @Test
    void cancellingALockRequestAtTheMomentTheLockIsHandedOverLeavesItFree() {
        try (Race race = new Race()) {
            for (int round = 0; round < 20_000; round++) {
                Mutex<Integer> m = new Mutex<>(0);
                Mutex.Guard<Integer> held = m.lock();
                Future<Mutex.Guard<Integer>> waiting = m.lockFuture();
                Future<Mutex.Guard<Integer>> next = m.lockFuture();
                CountingWaker w = new CountingWaker();
                CountingWaker n = new CountingWaker();
                assertThat(waiting.poll(w.cx).isPending()).isTrue();
                assertThat(next.poll(n.cx).isPending()).isTrue();
                race.run(held::close, waiting::drop);
                assertThat(n.count()).as("round %d: the lock passed on to the next in line", round).isEqualTo(1);
                next.poll(n.cx).value().close();
                assertThat(m.tryLock()).isPresent();
            }
        }
    }

    @Test
    void readersShareAndAWaitingWriterHoldsBackLaterReaders() {
        RwLock<Integer> lock = new RwLock<>(1);
        RwLock.ReadGuard<Integer> r1 = lock.read();
        RwLock.ReadGuard<Integer> r2 = lock.tryRead().orElseThrow();
        assertThat(r1.get() + r2.get()).isEqualTo(2);
        CountingWaker ww = new CountingWaker();
        CountingWaker rw = new CountingWaker();
        Future<RwLock.WriteGuard<Integer>> writer = lock.writeFuture();
        assertThat(writer.poll(ww.cx).isPending()).isTrue();
        Future<RwLock.ReadGuard<Integer>> lateReader = lock.readFuture();
        assertThat(lateReader.poll(rw.cx).isPending()).as("no reader overtakes a waiting writer").isTrue();
        r1.close();
        assertThat(ww.count()).isZero();
        r2.close();
        assertThat(ww.count()).isEqualTo(1);
        try (var w = writer.poll(ww.cx).value()) {
            w.set(42);
            assertThat(rw.count()).isZero();
        }
        assertThat(rw.count()).isEqualTo(1);
        try (var r = lateReader.poll(rw.cx).value()) {
            assertThat(r.get()).isEqualTo(42);
        }
        assertThat(lock.tryWrite()).isPresent();
    }

    @Test
    void cancellingAWriterAsTheLastReaderLeavesLetsTheReadersBehindItIn() {
        try (Race race = new Race()) {
            for (int round = 0; round < 20_000; round++) {
                RwLock<Integer> lock = new RwLock<>(0);
                RwLock.ReadGuard<Integer> reader = lock.read();
                Future<RwLock.WriteGuard<Integer>> writer = lock.writeFuture();
                Future<RwLock.ReadGuard<Integer>> behind = lock.readFuture();
                CountingWaker w = new CountingWaker();
                CountingWaker b = new CountingWaker();
                assertThat(writer.poll(w.cx).isPending()).isTrue();
                assertThat(behind.poll(b.cx).isPending()).isTrue();
                race.run(reader::close, writer::drop);
                assertThat(b.count()).as("round %d", round).isEqualTo(1);
                behind.poll(b.cx).value().close();
                assertThat(lock.tryWrite()).isPresent();
            }
        }
    }
}
