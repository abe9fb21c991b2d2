package dev.weft.ffi;

import dev.weft.WakeSignal;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The signals behind {@link NativeWake}'s shared upcall, by token: the 64-bit value a C library
 * is given as its callback's user data. A token is {@code generation << 32 | (index + 1)}, never
 * 0, and names one signal for good: a slot is reused (with the next generation) only after its
 * signal was garbage-collected, so a late callback with an old token finds nothing rather than
 * waking a stranger.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li>{@link #slots} holds immutable {@link Slot}s; it is replaced (grown) and its elements set
 *       under the class monitor, by registrations only (rare, short, never parking). The table
 *       holds signals weakly: a signal lives as long as the stream that polls with it.</li>
 *   <li>{@link #signal(long)} runs on the C library's thread inside an upcall: it takes no lock
 *       and allocates nothing — a volatile read of the array, a volatile element read, a
 *       generation check. A stale array (grown meanwhile) still holds every slot it had, and a
 *       slot made after the token was handed out cannot carry that token's generation.</li>
 * </ul>
 */
final class WakeTokens {
    private record Slot(int generation, WeakReference<WakeSignal> signal) { }

    private static volatile AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(16);

    private WakeTokens() { }

    /**
     * Registers {@code signal}; returns its token. A monitor is fine here (decision 12): the
     * section is short and never parks, so a holder is never unmounted while holding it.
     */
    static synchronized long add(WakeSignal signal) {
        AtomicReferenceArray<Slot> table = slots;
        int free = -1;
        for (int i = 0; i < table.length(); i++) {
            Slot s = table.get(i);
            if (s == null || s.signal().refersTo(null)) {
                free = i;
                break;
            }
        }
        if (free < 0) {
            AtomicReferenceArray<Slot> grown = new AtomicReferenceArray<>(table.length() * 2);
            for (int i = 0; i < table.length(); i++) {
                grown.set(i, table.get(i));
            }
            free = table.length();
            slots = grown;
            table = grown;
        }
        Slot old = table.get(free);
        int generation = old == null ? 1 : old.generation() + 1;
        table.set(free, new Slot(generation, new WeakReference<>(signal)));
        return ((long) generation << 32) | (free + 1L);
    }

    /** Fires the signal named by {@code token}, if it still exists. Any thread, lock-free. */
    static void signal(long token) {
        int index = (int) token - 1;
        int generation = (int) (token >>> 32);
        AtomicReferenceArray<Slot> table = slots;
        if (index < 0 || index >= table.length()) {
            return;
        }
        Slot s = table.get(index);
        if (s == null || s.generation() != generation) {
            return;
        }
        WakeSignal signal = s.signal().get();
        if (signal != null) {
            signal.signal();
        }
    }
}
