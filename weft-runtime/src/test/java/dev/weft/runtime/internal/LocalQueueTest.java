package dev.weft.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalQueueTest {

    static final class Job implements Runnable {
        final int id;

        Job(int id) {
            this.id = id;
        }

        @Override
        public void run() { }
    }

    @Test
    void ownerPopsInPushOrder() {
        LocalQueue q = new LocalQueue(8);
        List<Runnable[]> overflow = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            q.push(new Job(i), overflow::add);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(((Job) q.pop()).id).isEqualTo(i);
        }
        assertThat(q.pop()).isNull();
        assertThat(overflow).isEmpty();
    }

    @Test
    void aFullQueueMovesItsOlderHalfAndTheNewTaskToTheOverflow() {
        LocalQueue q = new LocalQueue(4);
        List<Runnable[]> overflow = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            q.push(new Job(i), overflow::add);
        }
        assertThat(overflow).hasSize(1);
        assertThat(overflow.get(0)).extracting(r -> ((Job) r).id).containsExactly(0, 1, 4);
        assertThat(((Job) q.pop()).id).isEqualTo(2);
        assertThat(((Job) q.pop()).id).isEqualTo(3);
        assertThat(q.pop()).isNull();
    }

    @Test
    void stealingTakesHalfRoundedUpAndReturnsOneToRun() {
        LocalQueue victim = new LocalQueue(8);
        LocalQueue thief = new LocalQueue(8);
        for (int i = 0; i < 5; i++) {
            victim.push(new Job(i), b -> { });
        }
        Runnable first = victim.stealHalfInto(thief);
        assertThat(((Job) first).id).isEqualTo(0);
        assertThat(thief.size()).isEqualTo(2);                 // 3 stolen: one returned, two queued
        assertThat(((Job) thief.pop()).id).isEqualTo(1);
        assertThat(victim.size()).isEqualTo(2);
        assertThat(((Job) victim.pop()).id).isEqualTo(3);
        assertThat(new LocalQueue(4).stealHalfInto(thief)).isNull();
        assertThatThrownBy(() -> new LocalQueue(6)).hasMessageContaining("power of two");
    }

    /**
     * The owner pushes and pops while two thieves steal into their own queues: every job is taken
     * exactly once, whoever takes it (the memory-ordering claims of LocalQueue, exercised).
     */
    @Test
    void underContentionEveryTaskIsTakenExactlyOnce() throws Exception {
        int jobs = 2_000_000;
        AtomicIntegerArray taken = new AtomicIntegerArray(jobs);
        LocalQueue owner = new LocalQueue(16);                  // small: overflow and wrap are frequent
        java.util.concurrent.ConcurrentLinkedQueue<Runnable> overflow = new java.util.concurrent.ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> thieves = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            thieves.add(Thread.ofPlatform().start(() -> {
                LocalQueue mine = new LocalQueue(16);
                while (!done.get() || !owner.isEmpty()) {
                    Runnable r = owner.stealHalfInto(mine);
                    while (r != null) {
                        taken.incrementAndGet(((Job) r).id);
                        r = mine.pop();
                    }
                }
            }));
        }
        for (int i = 0; i < jobs; i++) {
            owner.push(new Job(i), batch -> overflow.addAll(List.of(batch)));
            if ((i & 3) == 0) {
                Runnable r = owner.pop();
                if (r != null) {
                    taken.incrementAndGet(((Job) r).id);
                }
            }
        }
        for (Runnable r = owner.pop(); r != null; r = owner.pop()) {
            taken.incrementAndGet(((Job) r).id);
        }
        done.set(true);
        for (Thread t : thieves) {
            t.join();
        }
        for (Runnable r : overflow) {
            taken.incrementAndGet(((Job) r).id);
        }
        for (int i = 0; i < jobs; i++) {
            if (taken.get(i) != 1) {
                throw new AssertionError("job " + i + " was taken " + taken.get(i) + " times");
            }
        }
    }
}
