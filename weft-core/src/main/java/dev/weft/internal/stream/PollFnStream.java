package dev.weft.internal.stream;

import dev.weft.Backoff;
import dev.weft.Cancellable;
import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Stream;
import dev.weft.Waker;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@link Stream#fromPoll} with a {@link Backoff}: items from a non-blocking poll function, with a
 * timer between empty polls. ({@link SignalPollStream} is the other kind of trigger.)
 *
 * <p>Each poll calls {@code tryNext}. An item resets the miss count, is reported to
 * {@link Backoff#onItem} and is returned. {@code null} means nothing now: if the source was
 * already closed ({@code isOpen} is read <em>before</em> {@code tryNext}, so an item pushed just
 * before closing is not lost) the stream ends; otherwise the miss count grows and a timer wakes
 * the task after {@code backoff.delayNanos(misses)}. At most one timer is armed: a poll that
 * comes before it is due (a spurious wake) tries {@code tryNext} again and keeps it (re-arming at
 * the same deadline only if the waker changed). An exception from {@code tryNext} ends the
 * stream with that error.
 *
 * <p><b>Fixed rate.</b> The first miss after an item waits {@code delay} from now. A further miss,
 * polled because the previous timer came due, waits {@code delay} from that timer's
 * <em>deadline</em>, not from the moment it fired (unless it fired more than a whole delay late),
 * as {@code ScheduledExecutorService.scheduleAtFixedRate} does. A timer always fires a little
 * after its deadline; measuring from "now" would add that lateness to every step, and with a
 * timer that rounds deadlines up to its tick (Weft's wheel: 1 ms) a 1 ms step would become a
 * 2 ms step.
 *
 * <p>One poller at a time; {@link #drop()} (idempotent, any thread) cancels the armed timer.
 *
 * @param <T> the type of the items
 */
public final class PollFnStream<T> implements Stream<T> {
    /** Where the timer comes from: the current runtime by default; replaceable in tests. */
    @FunctionalInterface
    public interface Timer {
        /** Wakes {@code waker} once {@link System#nanoTime()} reaches {@code deadlineNanos}. */
        Cancellable scheduleWake(long deadlineNanos, Waker waker);
    }

    private static final Timer RUNTIME_TIMER = (deadline, waker) -> Runtime.current().scheduleWake(deadline, waker);
    private static final long MAX_DELAY_NANOS = Long.MAX_VALUE / 4;

    private final Supplier<? extends T> tryNext;
    private final BooleanSupplier isOpen;
    private final Backoff backoff;
    private final Timer timerService;
    private int misses;
    private long deadline;
    private Waker timerWaker;
    private boolean ended;
    private volatile Cancellable timer;
    private volatile boolean cancelled;

    public PollFnStream(Supplier<? extends T> tryNext, BooleanSupplier isOpen, Backoff backoff) {
        this(tryNext, isOpen, backoff, RUNTIME_TIMER);
    }

    /** A stream that arms its timers on {@code timerService} instead of the current runtime. */
    public PollFnStream(Supplier<? extends T> tryNext, BooleanSupplier isOpen, Backoff backoff, Timer timerService) {
        this.tryNext = Objects.requireNonNull(tryNext, "tryNext");
        this.isOpen = Objects.requireNonNull(isOpen, "isOpen");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.timerService = Objects.requireNonNull(timerService, "timerService");
    }

    @Override
    public Poll<T> pollNext(Context cx) {
        if (ended) {
            return Poll.end();
        }
        boolean open = isOpen.getAsBoolean();
        T item;
        try {
            item = tryNext.get();
        } catch (RuntimeException | Error e) {
            finish();
            throw e;
        }
        if (item != null) {
            misses = 0;
            disarm();
            backoff.onItem(System.nanoTime());
            return Poll.ready(item);
        }
        if (!open) {
            finish();
            return Poll.end();
        }
        long now = System.nanoTime();
        Waker waker = cx.waker();
        boolean armedAndNotDue = timer != null && now - deadline < 0;
        if (armedAndNotDue) {
            if (!timerWaker.willWake(waker)) {
                arm(deadline, waker);
            }
            return Poll.pending();
        }
        boolean timerCameDue = timer != null;      // armed and due (the not-due case returned above)
        if (misses < Integer.MAX_VALUE) {
            misses++;
        }
        long delay = Math.clamp(backoff.delayNanos(misses), 0L, MAX_DELAY_NANOS);
        long from = now;
        if (timerCameDue && misses > 1 && now - deadline < delay) {
            from = deadline;                        // fixed rate: the timer's lateness is not added
        }
        arm(from + delay, waker);
        return Poll.pending();
    }

    private void arm(long deadlineNanos, Waker waker) {
        disarm();
        deadline = deadlineNanos;
        timerWaker = waker;
        timer = timerService.scheduleWake(deadlineNanos, waker);
        if (cancelled) {
            disarm();
        }
    }

    private void finish() {
        ended = true;
        disarm();
    }

    private void disarm() {
        Cancellable armed = timer;
        if (armed != null) {
            timer = null;
            armed.cancel();
        }
    }

    @Override
    public void drop() {
        cancelled = true;
        disarm();
    }

    /** {@code fromPoll(lambda in Camera, 3 misses, next try in 12 ms)}, for task dumps. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("fromPoll(").append(dev.weft.internal.TaskDump.describe(tryNext));
        if (ended) {
            return sb.append(", ended)").toString();
        }
        sb.append(", ").append(misses).append(misses == 1 ? " miss" : " misses");
        if (timer != null) {
            long left = deadline - System.nanoTime();
            sb.append(", next try in ").append(dev.weft.internal.TaskDump.millis(Math.max(0, left)));
        }
        return sb.append(')').toString();
    }
}
