package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.sync.Harness.CountingWaker;
import org.junit.jupiter.api.Test;

/**
 * {@code Future.release} on lock and permit futures, driven by hand: a join that completed one
 * acquisition and is then dropped (its timeout won) gives the guard or permits back, exactly once
 * even if the guard is closed as well (issue 12, fault 5).
 */
class ReleaseLocksTest {

    @Test
    void aJoinOfTwoLocksDroppedAfterTheFirstWasGrantedUnlocksTheFirst() {
        Mutex<String> m1 = new Mutex<>("one");
        Mutex<String> m2 = new Mutex<>("two");
        Mutex.Guard<String> other = m2.lock();                  // someone holds m2: the join must wait
        Future<Mutex.Guard<String>> first = m1.lockFuture();
        Poll<?> p = Harness.joinThenTimeout(first, m2.lockFuture());
        assertThat(p.value()).isInstanceOf(Either.Second.class);
        assertThat(m1.isLocked()).as("the guard granted inside the dropped join was released").isFalse();
        other.close();
        assertThat(m2.isLocked()).as("the join's waiter on m2 left the line").isFalse();
        assertThat(m1.tryLock()).isPresent();
    }

    @Test
    void aReleasedGuardIsReleasedOnceEvenIfItIsClosedLater() {
        Mutex<String> m = new Mutex<>("v");
        CountingWaker w = new CountingWaker();
        Future<Mutex.Guard<String>> f = m.lockFuture();
        Mutex.Guard<String> discarded = f.poll(w.cx).value();
        f.release(discarded);
        f.release(discarded);                                   // idempotent
        assertThat(m.isLocked()).isFalse();
        Mutex.Guard<String> next = m.tryLock().orElseThrow();
        discarded.close();                                      // late close of the released guard
        assertThat(m.isLocked()).as("the late close did not unlock the next holder").isTrue();
        next.close();
        assertThat(m.isLocked()).isFalse();
    }

    @Test
    void readAndWriteGuardsGrantedInADroppedJoinAreReleased() {
        RwLock<Integer> a = new RwLock<>(1);
        RwLock<Integer> b = new RwLock<>(2);
        RwLock.WriteGuard<Integer> writer = b.write();
        assertThat(Harness.joinThenTimeout(a.readFuture(), b.readFuture()).value()).isInstanceOf(Either.Second.class);
        assertThat(a.tryWrite()).as("the read guard was released").isPresent().get().satisfies(RwLock.WriteGuard::close);
        assertThat(Harness.joinThenTimeout(a.writeFuture(), b.writeFuture()).value()).isInstanceOf(Either.Second.class);
        assertThat(a.tryWrite()).as("the write guard was released").isPresent().get().satisfies(RwLock.WriteGuard::close);
        writer.close();
        assertThat(b.tryWrite()).as("both waiters on b left the line").isPresent();
    }

    @Test
    void permitsGrantedInADroppedJoinGoBackExactlyOnce() {
        Semaphore s = new Semaphore(3);
        Semaphore none = new Semaphore(0);
        assertThat(Harness.joinThenTimeout(s.acquireFuture(2), none.acquireFuture()).value())
                .isInstanceOf(Either.Second.class);
        assertThat(s.availablePermits()).as("the two permits came back").isEqualTo(3);
        none.release(1);
        assertThat(none.availablePermits()).as("the waiter left the line").isEqualTo(1);

        CountingWaker w = new CountingWaker();
        Future<Semaphore.Permit> f = s.acquireFuture(2);
        Semaphore.Permit discarded = f.poll(w.cx).value();
        f.release(discarded);
        discarded.close();                                      // and closed as well: still once
        assertThat(s.availablePermits()).isEqualTo(3);
    }
}
