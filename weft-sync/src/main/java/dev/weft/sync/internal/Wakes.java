package dev.weft.sync.internal;

import dev.weft.Waker;
import java.util.ArrayList;
import java.util.List;

/**
 * Wakers gathered under a lock, woken after it is released (a waker may poll or re-register at
 * once, which must not happen under the lock). Not thread-safe: a local of one call. Allocates a
 * list only from the second waker on.
 */
final class Wakes {
    private Waker first;
    private List<Waker> more;

    void add(Waker w) {
        if (w == null) {
            return;
        }
        if (first == null) {
            first = w;
            return;
        }
        if (more == null) {
            more = new ArrayList<>(4);
        }
        more.add(w);
    }

    void wakeAll() {
        if (first != null) {
            first.wake();
        }
        if (more != null) {
            for (Waker w : more) {
                w.wake();
            }
        }
    }
}
