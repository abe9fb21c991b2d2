package dev.weft.internal;

import dev.weft.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The live tasks of a runtime, so that closing it can cancel work in flight: O(1) add and remove,
 * no allocation per task.
 *
 * <h2>Implementation notes</h2>
 * Shards of intrusive doubly-linked lists threaded through {@link TaskCore#prevLive} and
 * {@link TaskCore#nextLive} (after tokio's sharded {@code OwnedTasks}); a task lives in the shard
 * its id selects, and each shard is guarded by its own {@link SpinLock} (not a monitor: see there
 * why), so workers spawning and finishing tasks at once rarely meet on one lock. {@link TaskCore#inRegistry} (guarded by the shard) makes
 * remove idempotent.
 */
public final class TaskRegistry {
    private static final int SHARDS = 64;

    private final Shard[] shards = new Shard[SHARDS];

    public TaskRegistry() {
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new Shard();
        }
    }

    private Shard shardOf(TaskCore<?> t) {
        return shards[(int) (t.id() & (SHARDS - 1))];
    }

    public void add(TaskCore<?> t) {
        Shard s = shardOf(t);
        s.lock.lock();
        try {
            t.nextLive = s.head;
            t.prevLive = null;
            if (s.head != null) {
                s.head.prevLive = t;
            }
            s.head = t;
            t.inRegistry = true;
            s.size++;
        } finally {
            s.lock.unlock();
        }
    }

    public void remove(TaskCore<?> t) {
        Shard s = shardOf(t);
        s.lock.lock();
        try {
            if (!t.inRegistry) {
                return;
            }
            t.inRegistry = false;
            TaskCore<?> prev = t.prevLive;
            TaskCore<?> next = t.nextLive;
            if (prev != null) {
                prev.nextLive = next;
            } else {
                s.head = next;
            }
            if (next != null) {
                next.prevLive = prev;
            }
            t.prevLive = null;
            t.nextLive = null;
            s.size--;
        } finally {
            s.lock.unlock();
        }
    }

    /** A snapshot of the live tasks. */
    public List<Task<?>> snapshot() {
        List<Task<?>> out = new ArrayList<>();
        for (Shard s : shards) {
            s.lock.lock();
            try {
                for (TaskCore<?> t = s.head; t != null; t = t.nextLive) {
                    out.add(t);
                }
            } finally {
                s.lock.unlock();
            }
        }
        return out;
    }

    /** The live task whose body runs on {@code thread} now, or null: a walk of every shard, for rare fallbacks. */
    public TaskCore<?> findByThread(Thread thread) {
        for (Shard s : shards) {
            s.lock.lock();
            try {
                for (TaskCore<?> t = s.head; t != null; t = t.nextLive) {
                    if (t.thread() == thread) {
                        return t;
                    }
                }
            } finally {
                s.lock.unlock();
            }
        }
        return null;
    }

    /** True when no task is live (a snapshot, shard by shard). */
    public boolean isEmpty() {
        for (Shard s : shards) {
            if (s.size() != 0) {
                return false;
            }
        }
        return true;
    }

    public int size() {
        int n = 0;
        for (Shard s : shards) {
            n += s.size();
        }
        return n;
    }

    private static final class Shard {
        final SpinLock lock = new SpinLock();
        TaskCore<?> head;
        int size;

        int size() {
            lock.lock();
            try {
                return size;
            } finally {
                lock.unlock();
            }
        }
    }
}
