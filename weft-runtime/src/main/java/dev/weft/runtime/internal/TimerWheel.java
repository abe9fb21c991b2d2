package dev.weft.runtime.internal;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A hierarchical hashed timing wheel (Varghese &amp; Lauck, "Hashed and Hierarchical Timing
 * Wheels: Data Structures for the Efficient Implementation of a Timer Facility", SOSP 1987):
 * timers keyed by an abstract integer <em>tick</em> (the runtime uses 1 tick = 1 ms), with O(1)
 * insert and cancel and an O(levels) search for the next expiration.
 *
 * <p>Not thread-safe: the wheel is single-threaded and its caller guards it (see
 * {@link WheelTimer}). The {@code fire} callback of {@link #advance} may call {@link #insert} and
 * {@link #cancel} on this wheel re-entrantly, but not {@link #advance}.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Levels.</b> Six levels of 64 slots. A slot of level {@code L} covers {@code 64^L} ticks
 *       and the whole level {@code 64^(L+1)}, so the wheel spans {@code 64^6 = 2^36} ticks (about
 *       2.2 years at 1 ms). Each slot is an intrusive doubly-linked list of {@link Entry} nodes
 *       (head and tail, appended at the tail); each level has a 64-bit occupancy bitmap.</li>
 *   <li><b>Placement.</b> An entry's level is that of the highest bit in which its deadline differs
 *       from {@link #elapsed()}: {@code (elapsed ^ deadline) | 63} has its top set bit {@code b},
 *       and the level is {@code b / 6}; the slot is the deadline's base-64 digit at that level,
 *       {@code (deadline >>> 6L) & 63}. So every entry of level {@code L} shares elapsed's digits
 *       above {@code L} and has a larger digit at {@code L}: entries of a lower level are always
 *       due before entries of a higher one, and level 0 holds one exact tick per slot.</li>
 *   <li><b>Out of range.</b> A deadline whose digits above the top level differ from elapsed's is
 *       kept in top-level slot 0, which is reached (wrapping around) at the start of the next
 *       {@code 2^36}-tick window; it is then re-placed, and stays on top until it is in range. It
 *       never fires early.</li>
 *   <li><b>Overdue.</b> {@link #insert} with a deadline {@code <= elapsed()} goes on a separate
 *       due list, fired first by the next {@link #advance}; this is also where an entry armed
 *       from a {@code fire} callback for the tick being fired goes, so a zero-period timer cannot
 *       live-lock one advance.</li>
 *   <li><b>Next expiration.</b> The lowest non-empty level holds the earliest entries; its next
 *       occupied slot is found by rotating the bitmap to the current digit and taking
 *       {@link Long#numberOfTrailingZeros}. Level 0 gives the exact deadline; a higher level gives
 *       the start of the slot.</li>
 *   <li><b>Cascading.</b> {@link #advance} repeatedly moves {@link #elapsed()} to the start of the
 *       next occupied slot, as long as that start is {@code <= nowTick}. A level-0 slot is fired;
 *       a higher slot is detached and its entries re-placed relative to the new elapsed, which
 *       puts each on a lower level. The loop visits occupied slots only, so a jump of hours costs
 *       nothing per tick. Every slot whose range elapsed enters is cascaded on the way, which keeps
 *       the placement invariant above.</li>
 *   <li><b>Ordering.</b> Within one {@link #advance}, entries fire in non-decreasing deadline
 *       order, and equal deadlines in insertion order: a level-0 slot holds a single deadline,
 *       entries of equal deadline always share a slot, every list is appended at the tail, and
 *       cascading re-appends in list order. The due list is stably sorted before it is fired.</li>
 *   <li><b>Re-entrancy.</b> A slot about to fire is first moved to a separate firing list and each
 *       entry is unlinked before its callback runs, so a callback may insert (into the wheel or
 *       the due list, never the firing list) or cancel anything, including entries of the same
 *       tick not yet fired. If a callback throws, the entries not yet fired go back on the due
 *       list and {@link #elapsed()} stays at the tick being fired.</li>
 *   <li><b>Complexity.</b> Insert and cancel are O(1) and allocate nothing but the entry; finding
 *       the next expiration is O(levels); an entry is re-placed at most once per level (plus once
 *       per {@code 2^36} ticks while out of range). Ticks are assumed to stay below
 *       {@code 2^62}.</li>
 * </ul>
 *
 * @param <T> the payload handed to the {@code fire} callback
 */
public final class TimerWheel<T> {
    private static final int LEVELS = 6;
    private static final int SLOT_BITS = 6;
    private static final int SLOTS = 1 << SLOT_BITS;
    private static final int SLOT_MASK = SLOTS - 1;
    /** Ticks the whole wheel spans: {@code 64^6}. */
    private static final long WHEEL_RANGE = 1L << (LEVELS * SLOT_BITS);

    /** The pseudo-level of the two lists outside the wheel. */
    private static final int SIDE_LEVEL = LEVELS;
    private static final int DUE_SLOT = 0;
    private static final int FIRING_SLOT = 1;
    private static final int DUE_LIST = SIDE_LEVEL * SLOTS + DUE_SLOT;
    private static final int FIRING_LIST = SIDE_LEVEL * SLOTS + FIRING_SLOT;
    /** {@link Entry#level} of an entry that fired or was cancelled. */
    private static final int NOT_PENDING = -1;

    private final Entry<T>[] heads;
    private final Entry<T>[] tails;
    private final long[] occupied = new long[LEVELS];
    private long elapsed;
    private int size;
    private boolean advancing;

    /** An empty wheel at tick 0. */
    @SuppressWarnings("unchecked")
    public TimerWheel() {
        heads = (Entry<T>[]) new Entry<?>[LEVELS * SLOTS + 2];
        tails = (Entry<T>[]) new Entry<?>[LEVELS * SLOTS + 2];
    }

    /** The tick the wheel has advanced to. */
    public long elapsed() {
        return elapsed;
    }

    /** Entries inserted and not yet fired or cancelled. */
    public int size() {
        return size;
    }

    /**
     * Schedules {@code payload} to fire at {@code deadlineTick}. O(1). A deadline
     * {@code <= elapsed()} fires on the next {@link #advance}; one beyond the wheel's range waits
     * on the top level until it is in range.
     */
    public Entry<T> insert(long deadlineTick, T payload) {
        Entry<T> entry = new Entry<>(this, deadlineTick, payload);
        if (deadlineTick <= elapsed) {
            append(entry, SIDE_LEVEL, DUE_SLOT);
        } else {
            place(entry);
        }
        size++;
        return entry;
    }

    /**
     * Removes a pending entry. O(1).
     *
     * @return {@code true} if the entry was pending; {@code false} if it already fired or was
     *         cancelled
     * @throws IllegalArgumentException if the entry belongs to another wheel
     */
    public boolean cancel(Entry<T> entry) {
        if (entry.wheel != this) {
            throw new IllegalArgumentException("entry belongs to another wheel");
        }
        if (entry.level == NOT_PENDING) {
            return false;
        }
        unlink(entry);
        entry.level = NOT_PENDING;
        size--;
        return true;
    }

    /**
     * A tick before which nothing can fire: {@code Long.MAX_VALUE} when empty; the exact deadline
     * when the earliest entry is on level 0; the start of its slot when it is on a higher level
     * (advancing there may only cascade); {@code elapsed()} when an overdue entry waits for the
     * next {@link #advance}. Never later than the earliest pending deadline that is still ahead
     * of {@code elapsed()}. O(levels).
     */
    public long nextDeadline() {
        if (size == 0) {
            return Long.MAX_VALUE;
        }
        if (heads[DUE_LIST] != null || heads[FIRING_LIST] != null) {
            return elapsed;
        }
        for (int level = 0; level < LEVELS; level++) {
            if (occupied[level] != 0) {
                return slotStart(level, nextOccupiedSlot(level));
            }
        }
        throw new IllegalStateException("size " + size + " but no entry found");
    }

    /**
     * Fires every entry whose deadline is {@code <= nowTick}, passing its payload to {@code fire},
     * in non-decreasing deadline order (equal deadlines in insertion order), then sets
     * {@link #elapsed()} to {@code nowTick}. Entries inserted by {@code fire} with a deadline after
     * the tick being fired and {@code <= nowTick} fire in this call; those with a deadline at or
     * before it fire in the next call. While a callback runs, {@link #elapsed()} is the tick being
     * fired. {@code nowTick < elapsed()} does nothing.
     *
     * @return how many entries fired
     * @throws IllegalStateException if called from a {@code fire} callback
     */
    public int advance(long nowTick, Consumer<? super T> fire) {
        Objects.requireNonNull(fire, "fire");
        if (advancing) {
            throw new IllegalStateException("advance() called re-entrantly from a fire callback");
        }
        if (nowTick < elapsed) {
            return 0;
        }
        advancing = true;
        try {
            int fired = 0;
            if (heads[DUE_LIST] != null) {
                moveList(DUE_LIST, SIDE_LEVEL, FIRING_SLOT);
                sortFiringList();
                fired += fireAll(fire);
            }
            int level = lowestOccupiedLevel();
            while (level >= 0) {
                int slot = nextOccupiedSlot(level);
                long start = slotStart(level, slot);
                if (start > nowTick) {
                    break;
                }
                elapsed = start;
                if (level == 0) {
                    moveList(slot, SIDE_LEVEL, FIRING_SLOT);
                    fired += fireAll(fire);
                } else {
                    cascade(level, slot);
                }
                level = lowestOccupiedLevel();
            }
            elapsed = nowTick;
            return fired;
        } finally {
            advancing = false;
            if (heads[FIRING_LIST] != null) {
                requeueUnfired();
            }
        }
    }

    // ---- placement --------------------------------------------------------------------------

    /** Puts an entry with a deadline {@code >= elapsed} on its level and slot. */
    private void place(Entry<T> entry) {
        long deadline = entry.deadline;
        long differing = (elapsed ^ deadline) | SLOT_MASK;
        if (differing >= WHEEL_RANGE) {
            append(entry, LEVELS - 1, 0);
            return;
        }
        int topBit = 63 - Long.numberOfLeadingZeros(differing);
        int level = topBit / SLOT_BITS;
        append(entry, level, digit(deadline, level));
    }

    /** Detaches a slot above level 0 and re-places its entries relative to the new elapsed. */
    private void cascade(int level, int slot) {
        int list = level * SLOTS + slot;
        Entry<T> entry = heads[list];
        heads[list] = null;
        tails[list] = null;
        occupied[level] &= ~(1L << slot);
        while (entry != null) {
            Entry<T> following = entry.next;
            entry.prev = null;
            entry.next = null;
            place(entry);
            entry = following;
        }
    }

    private static int digit(long tick, int level) {
        return (int) (tick >>> (level * SLOT_BITS)) & SLOT_MASK;
    }

    private int lowestOccupiedLevel() {
        for (int level = 0; level < LEVELS; level++) {
            if (occupied[level] != 0) {
                return level;
            }
        }
        return -1;
    }

    /**
     * The first occupied slot of {@code level} in wheel order from elapsed: level 0 starts at the
     * current digit (an exact tick, possibly {@code == elapsed} after a cascade); higher levels
     * start just after it, so the current digit there means a full turn (the out-of-range slot).
     */
    private int nextOccupiedSlot(int level) {
        int current = digit(elapsed, level);
        int from = level == 0 ? current : (current + 1) & SLOT_MASK;
        long rotated = Long.rotateRight(occupied[level], from);
        return (Long.numberOfTrailingZeros(rotated) + from) & SLOT_MASK;
    }

    /** The first tick of {@code slot} of {@code level}, at or after elapsed. */
    private long slotStart(int level, int slot) {
        int shift = level * SLOT_BITS;
        long levelRange = 1L << (shift + SLOT_BITS);
        long levelBase = elapsed & -levelRange;
        long start = levelBase + ((long) slot << shift);
        if (level > 0 && slot <= digit(elapsed, level)) {
            start += levelRange;
        }
        return start;
    }

    // ---- firing -----------------------------------------------------------------------------

    /** Fires the firing list head first, unlinking each entry before its callback runs. */
    private int fireAll(Consumer<? super T> fire) {
        int count = 0;
        Entry<T> entry = heads[FIRING_LIST];
        while (entry != null) {
            unlink(entry);
            entry.level = NOT_PENDING;
            size--;
            count++;
            fire.accept(entry.payload);
            entry = heads[FIRING_LIST];
        }
        return count;
    }

    /** After a callback threw: puts the unfired entries back in front of the due list. */
    private void requeueUnfired() {
        Entry<T> dueHead = heads[DUE_LIST];
        Entry<T> dueTail = tails[DUE_LIST];
        heads[DUE_LIST] = null;
        tails[DUE_LIST] = null;
        moveList(FIRING_LIST, SIDE_LEVEL, DUE_SLOT);
        if (dueHead != null) {
            Entry<T> unfiredTail = tails[DUE_LIST];
            unfiredTail.next = dueHead;
            dueHead.prev = unfiredTail;
            tails[DUE_LIST] = dueTail;
        }
    }

    /** Stably sorts the firing list by deadline; O(n) when it is already sorted. */
    private void sortFiringList() {
        Entry<T> head = heads[FIRING_LIST];
        if (isSorted(head)) {
            return;
        }
        head = mergeSort(head);
        Entry<T> previous = null;
        for (Entry<T> entry = head; entry != null; entry = entry.next) {
            entry.prev = previous;
            previous = entry;
        }
        heads[FIRING_LIST] = head;
        tails[FIRING_LIST] = previous;
    }

    private static <T> boolean isSorted(Entry<T> head) {
        for (Entry<T> entry = head; entry.next != null; entry = entry.next) {
            if (entry.next.deadline < entry.deadline) {
                return false;
            }
        }
        return true;
    }

    /** Stable merge sort on the {@code next} links only; recursion depth is log2(n). */
    private static <T> Entry<T> mergeSort(Entry<T> head) {
        if (head == null || head.next == null) {
            return head;
        }
        Entry<T> middle = head;
        Entry<T> scout = head.next;
        while (scout != null && scout.next != null) {
            middle = middle.next;
            scout = scout.next.next;
        }
        Entry<T> secondHalf = middle.next;
        middle.next = null;
        Entry<T> left = mergeSort(head);
        Entry<T> right = mergeSort(secondHalf);
        Entry<T> merged = null;
        Entry<T> last = null;
        while (left != null && right != null) {
            Entry<T> taken;
            if (right.deadline < left.deadline) {
                taken = right;
                right = right.next;
            } else {
                taken = left;
                left = left.next;
            }
            if (last == null) {
                merged = taken;
            } else {
                last.next = taken;
            }
            last = taken;
        }
        Entry<T> rest = left != null ? left : right;
        if (last == null) {
            return rest;
        }
        last.next = rest;
        return merged;
    }

    // ---- intrusive lists --------------------------------------------------------------------

    private void append(Entry<T> entry, int level, int slot) {
        int list = level * SLOTS + slot;
        Entry<T> tail = tails[list];
        entry.level = level;
        entry.slot = slot;
        entry.prev = tail;
        entry.next = null;
        if (tail == null) {
            heads[list] = entry;
            if (level < LEVELS) {
                occupied[level] |= 1L << slot;
            }
        } else {
            tail.next = entry;
        }
        tails[list] = entry;
    }

    private void unlink(Entry<T> entry) {
        int list = entry.level * SLOTS + entry.slot;
        Entry<T> before = entry.prev;
        Entry<T> after = entry.next;
        if (before == null) {
            heads[list] = after;
        } else {
            before.next = after;
        }
        if (after == null) {
            tails[list] = before;
        } else {
            after.prev = before;
        }
        entry.prev = null;
        entry.next = null;
        if (heads[list] == null && entry.level < LEVELS) {
            occupied[entry.level] &= ~(1L << entry.slot);
        }
    }

    /** Moves a whole list (by index) to the end of the list {@code (level, slot)}. */
    private void moveList(int fromList, int level, int slot) {
        Entry<T> entry = heads[fromList];
        heads[fromList] = null;
        tails[fromList] = null;
        if (fromList < LEVELS * SLOTS) {
            occupied[fromList / SLOTS] &= ~(1L << (fromList % SLOTS));
        }
        while (entry != null) {
            Entry<T> following = entry.next;
            append(entry, level, slot);
            entry = following;
        }
    }

    /**
     * A scheduled timer: the wheel's intrusive list node. Pending from {@link #insert} until it
     * fires or is cancelled.
     *
     * @param <T> the payload type
     */
    public static final class Entry<T> {
        final TimerWheel<T> wheel;
        final long deadline;
        final T payload;
        Entry<T> prev;
        Entry<T> next;
        /** 0..5 for a wheel slot, {@code SIDE_LEVEL} for the due and firing lists, -1 if done. */
        int level;
        int slot;

        Entry(TimerWheel<T> wheel, long deadline, T payload) {
            this.wheel = wheel;
            this.deadline = deadline;
            this.payload = payload;
        }

        /** The tick this entry fires at (or after, if inserted late). */
        public long deadline() {
            return deadline;
        }

        /** What the {@code fire} callback receives. */
        public T payload() {
            return payload;
        }

        /** {@code true} until the entry fires or is cancelled. */
        public boolean isPending() {
            return level != NOT_PENDING;
        }

        @Override
        public String toString() {
            return "TimerWheel.Entry[deadline=" + deadline + (isPending() ? ", pending]" : ", done]");
        }
    }
}
