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
 *   <li>No lock (ARCHITECTURE.md decision 12: registrations run in tasks, on workers and on the
 *       virtual threads they carry). The table is a fixed array of {@value #CHUNKS} chunks of
 *       {@link AtomicReferenceArray}s, chunk {@code k} holding {@code 16 << k} slots and created,
 *       by CAS, the first time chunks {@code 0..k-1} were found full. Chunks never move, so a
 *       slot set by CAS is never lost to a copy made by a concurrent grow.</li>
 *   <li>{@link #add} takes the first free slot (never used, or its signal collected) by CAS from
 *       the exact {@link Slot} it saw, so two registrations never take one slot and a reused slot
 *       gets the next generation exactly once. Slots are immutable records; the arrays' volatile
 *       accesses publish them.</li>
 *   <li>{@link #signal(long)} runs on the C library's thread inside an upcall: it takes no lock
 *       and allocates nothing — a volatile read of the chunk, a volatile element read, a
 *       generation check. A slot made after the token was handed out cannot carry that token's
 *       generation. The table holds signals weakly: a signal lives as long as the stream that
 *       polls with it.</li>
 * </ul>
 * Checked by {@code WakeTokensTest} (registrations from several threads at once) and
 * {@code NativeWakeTest} (a collected signal's token wakes nobody).
 */
final class WakeTokens {
    private record Slot(int generation, WeakReference<WakeSignal> signal) { }

    /** Slots in chunk 0; chunk {@code k} has {@code FIRST << k} and starts at index {@code FIRST * (2^k - 1)}. */
    private static final int FIRST = 16;
    /** Chunks: {@code FIRST * (2^27 - 1)} slots in all, just under {@code 2^31}, so an index fits a token's low 32 bits. */
    static final int CHUNKS = 27;

    private static final AtomicReferenceArray<AtomicReferenceArray<Slot>> TABLE = new AtomicReferenceArray<>(CHUNKS);

    private WakeTokens() { }

    /**
     * Registers {@code signal}; returns its token (never 0). Any thread, lock-free; scans for a
     * free slot, so it costs time in the number of live signals.
     *
     * @throws IllegalStateException if about two billion signals are alive at once
     */
    static long add(WakeSignal signal) {
        for (int k = 0; k < CHUNKS; k++) {
            AtomicReferenceArray<Slot> chunk = chunk(k);
            int base = FIRST * ((1 << k) - 1);
            for (int i = 0; i < chunk.length(); i++) {
                Slot s = chunk.get(i);
                if (s == null || s.signal().refersTo(null)) {
                    int generation = s == null ? 1 : s.generation() + 1;
                    if (chunk.compareAndSet(i, s, new Slot(generation, new WeakReference<>(signal)))) {
                        return ((long) generation << 32) | (base + i + 1L);
                    }
                    // another registration took this slot first: look further
                }
            }
        }
        throw new IllegalStateException("too many live wake signals");
    }

    /** Chunk {@code k}, made now (by CAS: one maker wins) if it does not exist yet. */
    private static AtomicReferenceArray<Slot> chunk(int k) {
        AtomicReferenceArray<Slot> chunk = TABLE.get(k);
        if (chunk == null) {
            TABLE.compareAndSet(k, null, new AtomicReferenceArray<>(FIRST << k));
            chunk = TABLE.get(k);
        }
        return chunk;
    }

    /** Fires the signal named by {@code token}, if it still exists. Any thread, lock-free, allocation-free. */
    static void signal(long token) {
        int index = (int) token - 1;
        if (index < 0) {
            return;
        }
        int k = 31 - Integer.numberOfLeadingZeros(index / FIRST + 1);
        if (k >= CHUNKS) {
            return;
        }
        AtomicReferenceArray<Slot> chunk = TABLE.get(k);
        if (chunk == null) {
            return;
        }
        Slot s = chunk.get(index - FIRST * ((1 << k) - 1));
        if (s == null || s.generation() != (int) (token >>> 32)) {
            return;
        }
        WakeSignal signal = s.signal().get();
        if (signal != null) {
            signal.signal();
        }
    }
}
