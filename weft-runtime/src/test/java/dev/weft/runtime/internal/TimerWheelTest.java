package dev.weft.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimerWheelTest {
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    /** 64^6: the wheel's range in ticks. */
    private static final long RANGE = 1L << 36;

    // ---- 1. many random timers against a simulated clock ---------------------------------------

    @Test
    void randomTimersFireOnceInDeadlineOrderWithinOneStepOfTheirDeadline() {
        Simulation sim = Simulation.upFront(100_000, 5_000, 42);
        sim.runWithSteps(new Random(7), 0, 7);
        sim.assertEachFiredAtTheFirstAdvanceReachingItsDeadline();
        sim.assertGlobalDeadlineOrder();
    }

    @Test
    void steppingOneTickFiresEachTimerExactlyAtItsDeadline() {
        Simulation sim = Simulation.upFront(100_000, 5_000, 43);
        sim.runWithSteps(new Random(8), 1, 1);
        sim.assertEachFiredAtTheFirstAdvanceReachingItsDeadline();
        sim.assertGlobalDeadlineOrder();
        for (int i = 0; i < sim.count; i++) {
            assertThat(sim.fireNow[i]).as("timer %d", i).isEqualTo(sim.deadlines[i]);
        }
    }

    @Test
    void timersInsertedWhileTheClockRunsIncludingOverdueOnesFireOnTime() {
        TimerWheel<Integer> wheel = new TimerWheel<>();
        Random random = new Random(44);
        int count = 60_000;
        long[] deadlines = new long[count];
        int[] armedBeforeAdvance = new int[count];
        int[] firedAtAdvance = new int[count];
        Arrays.fill(firedAtAdvance, -1);
        List<Long> nows = new ArrayList<>();
        int inserted = 0;
        long now = 0;
        while (inserted < count || wheel.size() > 0) {
            int batch = Math.min(count - inserted, random.nextInt(40));
            for (int b = 0; b < batch; b++) {
                deadlines[inserted] = now - 3 + random.nextInt(3_000);
                armedBeforeAdvance[inserted] = nows.size();
                wheel.insert(deadlines[inserted], inserted);
                inserted++;
            }
            now += random.nextInt(8);
            int advanceIndex = nows.size();
            nows.add(now);
            long[] lastDeadline = {Long.MIN_VALUE};
            long advanceNow = now;
            wheel.advance(now, id -> {
                assertThat(firedAtAdvance[id]).as("timer %d fired twice", id).isEqualTo(-1);
                assertThat(deadlines[id]).as("deadline order within one advance")
                        .isGreaterThanOrEqualTo(lastDeadline[0]);
                assertThat(deadlines[id]).as("fired early").isLessThanOrEqualTo(advanceNow);
                lastDeadline[0] = deadlines[id];
                firedAtAdvance[id] = advanceIndex;
            });
        }
        for (int i = 0; i < count; i++) {
            int at = firedAtAdvance[i];
            assertThat(at).as("timer %d never fired", i).isGreaterThanOrEqualTo(armedBeforeAdvance[i]);
            if (at > armedBeforeAdvance[i]) {
                assertThat(nows.get(at - 1)).as("timer %d fired late", i).isLessThan(deadlines[i]);
            }
        }
    }

    // ---- 2. cancel ------------------------------------------------------------------------------

    @Test
    void cancelledTimersNeverFireAndSizeTracksPendingTimers() {
        TimerWheel<Integer> wheel = new TimerWheel<>();
        Random random = new Random(45);
        int count = 100_000;
        List<TimerWheel.Entry<Integer>> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(wheel.insert(random.nextInt(5_001), i));
        }
        boolean[] cancelled = new boolean[count];
        int cancelledCount = 0;
        for (int i = 0; i < count; i++) {
            if (random.nextBoolean()) {
                assertThat(wheel.cancel(entries.get(i))).isTrue();
                assertThat(wheel.cancel(entries.get(i))).as("second cancel").isFalse();
                assertThat(entries.get(i).isPending()).isFalse();
                cancelled[i] = true;
                cancelledCount++;
            }
        }
        assertThat(cancelledCount).isBetween(count / 2 - 1_000, count / 2 + 1_000);
        assertThat(wheel.size()).isEqualTo(count - cancelledCount);

        int[] fires = new int[count];
        int pending = count - cancelledCount;
        long now = 0;
        while (now <= 5_000) {
            now += random.nextInt(8);
            int fired = wheel.advance(now, id -> fires[id]++);
            pending -= fired;
            assertThat(wheel.size()).isEqualTo(pending);
        }
        for (int i = 0; i < count; i++) {
            assertThat(fires[i]).as("timer %d", i).isEqualTo(cancelled[i] ? 0 : 1);
            assertThat(entries.get(i).isPending()).isFalse();
            assertThat(wheel.cancel(entries.get(i))).as("cancel after firing or cancelling").isFalse();
        }
        assertThat(wheel.size()).isZero();
        assertThat(wheel.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    // ---- 3. far deadlines -----------------------------------------------------------------------

    private static final long[] FAR = {HOUR, 5 * HOUR, 3 * DAY, RANGE + 12_345};

    @Test
    void farDeadlinesFireInBigJumpsNeverEarly() {
        TimerWheel<Long> wheel = new TimerWheel<>();
        for (long deadline : FAR) {
            wheel.insert(deadline, deadline);
        }
        List<long[]> firings = new ArrayList<>();
        long jump = 1_000_003L;
        long previous = 0;
        long now = 0;
        while (wheel.size() > 0) {
            now += jump;
            long advanceNow = now;
            long previousNow = previous;
            wheel.advance(now, deadline -> firings.add(new long[] {deadline, advanceNow, previousNow}));
            previous = now;
        }
        assertThat(firings).hasSize(FAR.length);
        for (int i = 0; i < FAR.length; i++) {
            long[] firing = firings.get(i);
            assertThat(firing[0]).isEqualTo(FAR[i]);
            assertThat(firing[1]).as("not early").isGreaterThanOrEqualTo(FAR[i]);
            assertThat(firing[2]).as("at the first advance reaching it").isLessThan(FAR[i]);
        }
    }

    @Test
    void farDeadlinesFireExactlyWhenBigJumpsEndInSmallSteps() {
        TimerWheel<Long> wheel = new TimerWheel<>();
        for (long deadline : FAR) {
            wheel.insert(deadline, deadline);
        }
        List<Long> firedAt = new ArrayList<>();
        long[] clock = {0};
        for (long deadline : FAR) {
            for (long target : new long[] {deadline - 300_000, deadline - 4_097, deadline - 65}) {
                clock[0] = target;
                assertThat(wheel.advance(target, d -> firedAt.add(clock[0]))).as("early fire").isZero();
            }
            for (long now = deadline - 64; now <= deadline + 2; now++) {
                clock[0] = now;
                wheel.advance(now, d -> {
                    assertThat(d).isEqualTo(deadline);
                    firedAt.add(clock[0]);
                });
            }
        }
        assertThat(firedAt).containsExactly(FAR[0], FAR[1], FAR[2], FAR[3]);
    }

    @Test
    void advancingToNextDeadlineReachesFarDeadlinesInFewStepsWithoutFiringEarly() {
        walkNextDeadlines(0, FAR);
    }

    @Test
    void deadlinesAcrossTheTopLevelBoundaryFireOnTime() {
        long start = 40 * (1L << 30) + 123;
        walkNextDeadlines(start, new long[] {
            RANGE + 7, RANGE + 5 * (1L << 30) + 99, start + RANGE + 1_000, 3 * RANGE + 17});
    }

    /** Advances to nextDeadline() over and over; each deadline fires exactly on time, in few steps. */
    private static void walkNextDeadlines(long startTick, long[] sortedDeadlines) {
        TimerWheel<Long> wheel = new TimerWheel<>();
        wheel.advance(startTick, d -> { });
        for (long deadline : sortedDeadlines) {
            wheel.insert(deadline, deadline);
        }
        List<Long> fired = new ArrayList<>();
        int stepsSinceLastFire = 0;
        int next = 0;
        while (wheel.size() > 0) {
            long earliest = sortedDeadlines[next];
            long target = wheel.nextDeadline();
            assertThat(target).as("nextDeadline").isLessThanOrEqualTo(earliest).isGreaterThan(wheel.elapsed());
            assertThat(wheel.advance(target - 1, fired::add)).as("nothing fires before nextDeadline").isZero();
            long[] clock = {target};
            int count = wheel.advance(target, deadline -> {
                assertThat(deadline).isEqualTo(clock[0]);
                fired.add(deadline);
            });
            stepsSinceLastFire++;
            assertThat(stepsSinceLastFire).as("steps to reach %d", earliest).isLessThanOrEqualTo(7);
            if (count > 0) {
                assertThat(count).isEqualTo(1);
                stepsSinceLastFire = 0;
                next++;
            }
        }
        assertThat(fired).containsExactly(Arrays.stream(sortedDeadlines).boxed().toArray(Long[]::new));
        assertThat(wheel.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void nextDeadlineIsTheSlotStartForAHigherLevelEntryAndAdvancingThereOnlyCascades() {
        TimerWheel<String> wheel = new TimerWheel<>();
        wheel.insert(5 * HOUR + 17, "x");
        long target = wheel.nextDeadline();
        assertThat(target).isPositive().isLessThan(5 * HOUR + 17);
        assertThat(wheel.advance(target, s -> { })).isZero();
        assertThat(wheel.size()).isOne();
        assertThat(wheel.nextDeadline()).isGreaterThan(target).isLessThanOrEqualTo(5 * HOUR + 17);
    }

    // ---- 4. re-entrancy and overdue inserts -----------------------------------------------------

    @Test
    void periodicTimerReArmsItselfFromTheCallback() {
        for (boolean oneBigAdvance : new boolean[] {false, true}) {
            TimerWheel<String> wheel = new TimerWheel<>();
            List<Long> firedAt = new ArrayList<>();
            long period = 7;
            int repeats = 50;
            long[] clock = {0};
            Runnable[] rearm = new Runnable[1];
            rearm[0] = () -> wheel.insert(period * (firedAt.size() + 1), "tick");
            rearm[0].run();
            Consumer<String> fire = s -> {
                firedAt.add(oneBigAdvance ? wheel.elapsed() : clock[0]);
                if (firedAt.size() < repeats) {
                    rearm[0].run();
                }
            };
            if (oneBigAdvance) {
                assertThat(wheel.advance(1_000, fire)).isEqualTo(repeats);
            } else {
                for (long now = 1; now <= 1_000; now++) {
                    clock[0] = now;
                    wheel.advance(now, fire);
                }
            }
            List<Long> expected = new ArrayList<>();
            for (int i = 1; i <= repeats; i++) {
                expected.add(period * i);
            }
            assertThat(firedAt).as("oneBigAdvance=%s", oneBigAdvance).isEqualTo(expected);
            assertThat(wheel.size()).isZero();
            assertThat(wheel.elapsed()).isEqualTo(1_000);
        }
    }

    @Test
    void deadlineAtOrBeforeElapsedFiresOnTheNextAdvanceInDeadlineOrder() {
        TimerWheel<String> wheel = new TimerWheel<>();
        wheel.advance(100, s -> { });
        wheel.insert(40, "forty");
        wheel.insert(100, "hundred");
        wheel.insert(30, "thirty");
        wheel.insert(101, "later");
        assertThat(wheel.nextDeadline()).isEqualTo(100);
        List<String> fired = new ArrayList<>();
        assertThat(wheel.advance(100, fired::add)).isEqualTo(3);
        assertThat(fired).containsExactly("thirty", "forty", "hundred");
        assertThat(wheel.advance(50, fired::add)).as("going back is a no-op").isZero();
        assertThat(wheel.elapsed()).isEqualTo(100);
        assertThat(wheel.advance(101, fired::add)).isOne();
        assertThat(fired).endsWith("later");
    }

    @Test
    void zeroPeriodReArmFiresOnTheNextAdvanceNotTheSameOne() {
        TimerWheel<String> wheel = new TimerWheel<>();
        AtomicInteger fires = new AtomicInteger();
        wheel.insert(5, "spin");
        Consumer<String> fire = s -> {
            fires.incrementAndGet();
            wheel.insert(wheel.elapsed(), s);
        };
        assertThat(wheel.advance(10, fire)).isOne();
        assertThat(wheel.size()).isOne();
        assertThat(wheel.nextDeadline()).isEqualTo(10);
        assertThat(wheel.advance(10, fire)).isOne();
        assertThat(fires).hasValue(2);
    }

    @Test
    void callbackMayCancelAnotherTimerOfTheSameTick() {
        TimerWheel<String> wheel = new TimerWheel<>();
        List<String> fired = new ArrayList<>();
        List<TimerWheel.Entry<String>> entries = new ArrayList<>();
        entries.add(wheel.insert(9, "a"));
        entries.add(wheel.insert(9, "b"));
        entries.add(wheel.insert(9, "c"));
        int count = wheel.advance(9, s -> {
            fired.add(s);
            if (s.equals("a")) {
                assertThat(wheel.cancel(entries.get(1))).isTrue();
                assertThat(wheel.cancel(entries.get(0))).as("already fired").isFalse();
            }
        });
        assertThat(count).isEqualTo(2);
        assertThat(fired).containsExactly("a", "c");
        assertThat(wheel.size()).isZero();
    }

    @Test
    void aThrowingCallbackLeavesTheRestOfTheTickPendingForTheNextAdvance() {
        TimerWheel<String> wheel = new TimerWheel<>();
        wheel.insert(3, "boom");
        wheel.insert(3, "b");
        wheel.insert(8, "c");
        List<String> fired = new ArrayList<>();
        assertThatThrownBy(() -> wheel.advance(10, s -> {
            fired.add(s);
            if (s.equals("boom")) {
                throw new IllegalStateException("boom");
            }
        })).hasMessage("boom");
        assertThat(wheel.size()).isEqualTo(2);
        assertThat(wheel.elapsed()).isEqualTo(3);
        assertThat(wheel.nextDeadline()).isEqualTo(3);
        assertThat(wheel.advance(5, fired::add)).isOne();
        assertThat(fired).containsExactly("boom", "b");
        assertThat(wheel.advance(10, fired::add)).isOne();
        assertThat(fired).containsExactly("boom", "b", "c");
    }

    // ---- 5. equal deadlines ---------------------------------------------------------------------

    @Test
    void equalDeadlinesFireInInsertionOrderEvenWhenInsertedAtDifferentLevels() {
        TimerWheel<String> wheel = new TimerWheel<>();
        long deadline = 300_000;
        List<String> expected = new ArrayList<>();
        long[] insertAt = {0, 200_000, 299_000, 299_990, 300_000 - 1};
        for (int round = 0; round < insertAt.length; round++) {
            wheel.advance(insertAt[round], s -> { });
            for (int i = 0; i < 10; i++) {
                String name = round + "." + i;
                wheel.insert(deadline, name);
                expected.add(name);
                wheel.insert(deadline + 1 + i, "after");
                wheel.insert(deadline - 1 - i, "before");
            }
        }
        List<String> fired = new ArrayList<>();
        wheel.advance(deadline + 100, fired::add);
        assertThat(fired.stream().filter(s -> !s.equals("before") && !s.equals("after")).toList())
                .isEqualTo(expected);
        int first = fired.indexOf("0.0");
        int last = fired.indexOf(expected.getLast());
        assertThat(fired.subList(0, first)).containsOnly("before");
        assertThat(fired.subList(last + 1, fired.size())).containsOnly("after").hasSize(50);
    }

    // ---- 6. nextDeadline ------------------------------------------------------------------------

    @Test
    void nextDeadlineIsMaxWhenEmptyAndExactOnLevelZero() {
        TimerWheel<String> wheel = new TimerWheel<>();
        assertThat(wheel.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        TimerWheel.Entry<String> entry = wheel.insert(37, "a");
        assertThat(wheel.nextDeadline()).isEqualTo(37);
        assertThat(wheel.cancel(entry)).isTrue();
        assertThat(wheel.nextDeadline()).isEqualTo(Long.MAX_VALUE);

        wheel.advance(1_000, s -> { });
        wheel.insert(1_050, "b");
        wheel.insert(1_020, "c");
        assertThat(wheel.nextDeadline()).isEqualTo(1_020);
        wheel.advance(1_020, s -> { });
        assertThat(wheel.nextDeadline()).isLessThanOrEqualTo(1_050).isGreaterThan(1_020);
        wheel.advance(1_049, s -> { });
        assertThat(wheel.nextDeadline()).isEqualTo(1_050);
        wheel.advance(1_050, s -> { });
        assertThat(wheel.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Timers inserted up front at tick 0, fired by a simulated clock; records when each fired. */
    private static final class Simulation {
        final int count;
        final long[] deadlines;
        final long[] fireNow;
        final long[] previousNow;
        final int[] fireCount;
        final List<Long> deadlineSequence = new ArrayList<>();
        final TimerWheel<Integer> wheel = new TimerWheel<>();

        private Simulation(int count) {
            this.count = count;
            deadlines = new long[count];
            fireNow = new long[count];
            previousNow = new long[count];
            fireCount = new int[count];
        }

        static Simulation upFront(int count, int maxDeadline, long seed) {
            Simulation sim = new Simulation(count);
            Random random = new Random(seed);
            for (int i = 0; i < count; i++) {
                sim.deadlines[i] = random.nextInt(maxDeadline + 1);
                sim.wheel.insert(sim.deadlines[i], i);
            }
            assertThat(sim.wheel.size()).isEqualTo(count);
            return sim;
        }

        void runWithSteps(Random random, int minStep, int maxStep) {
            long now = 0;
            long before = -1;
            int total = 0;
            while (wheel.size() > 0) {
                long advanceNow = now;
                long previous = before;
                total += wheel.advance(now, id -> {
                    fireCount[id]++;
                    fireNow[id] = advanceNow;
                    previousNow[id] = previous;
                    deadlineSequence.add(deadlines[id]);
                });
                before = now;
                now += minStep + random.nextInt(maxStep - minStep + 1);
            }
            assertThat(total).isEqualTo(count);
        }

        void assertEachFiredAtTheFirstAdvanceReachingItsDeadline() {
            for (int i = 0; i < count; i++) {
                assertThat(fireCount[i]).as("fires of timer %d", i).isEqualTo(1);
                assertThat(fireNow[i]).as("timer %d not early", i).isGreaterThanOrEqualTo(deadlines[i]);
                assertThat(previousNow[i]).as("timer %d not late", i).isLessThan(deadlines[i]);
            }
        }

        void assertGlobalDeadlineOrder() {
            assertThat(deadlineSequence).hasSize(count).isSorted();
        }
    }
}
