package dev.weft.bench.chaos;

import dev.weft.sync.Mutex;
import dev.weft.sync.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The locks the actors contend on, with the harness's own count of who holds them.
 *
 * <ul>
 *   <li>{@code mutual-exclusion}: whoever enters a mutex's critical section finds no other holder
 *       (an atomic count of holders, incremented after the lock is granted and decremented before
 *       it is released, is 1), and the permits held on a semaphore never exceed its size.</li>
 *   <li>{@code locks-released}: once the actors have stopped, every mutex is unlocked and every
 *       semaphore has all its permits: no guard or permit is held by nobody.</li>
 * </ul>
 */
final class Locks {
    static final int SEMAPHORE_PERMITS = 4;

    /** A mutex and the harness's count of its holders. */
    record Lock(String name, Mutex<long[]> mutex, AtomicInteger holders) { }

    /** A semaphore and the harness's count of permits held on it. */
    record Sem(String name, Semaphore semaphore, AtomicInteger held) { }

    final Lock[] mutexes;
    final Sem[] semaphores;
    /** Used only by {@link FaultOps#dropAfterResource}, so what that operation finds stays apart. */
    final Lock faultMutex = new Lock("mutex fault-select", new Mutex<>(new long[1]), new AtomicInteger());

    Locks(int mutexes, int semaphores) {
        this.mutexes = new Lock[mutexes];
        for (int i = 0; i < mutexes; i++) {
            this.mutexes[i] = new Lock("mutex " + i, new Mutex<>(new long[1]), new AtomicInteger());
        }
        this.semaphores = new Sem[semaphores];
        for (int i = 0; i < semaphores; i++) {
            this.semaphores[i] = new Sem("semaphore " + i, new Semaphore(SEMAPHORE_PERMITS), new AtomicInteger());
        }
    }
}
