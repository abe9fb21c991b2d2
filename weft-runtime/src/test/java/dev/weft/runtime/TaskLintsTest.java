package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Task;
import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Each lint fires on a program made to trip it, and the statistics add up. */
class TaskLintsTest {

    @Test
    void aPollThatReturnsPendingWithoutTakingItsWakerIsALostWaker() throws Exception {
        try (var rt = Runtimes.multiThreadBuilder().name("lint-lost").workers(1).build()) {
            Task<Object> lost = rt.spawnFuture("lost", cx -> Poll.pending());          // never asks for its waker
            Task<Object> fine = rt.spawnFuture("fine", Future.sleep(Duration.ofMinutes(5)).map(v -> v));
            String dump = awaitDump(d -> d.contains("LINT LOST_WAKER"));
            assertThat(block(dump, "'lost'")).contains("LINT LOST_WAKER: idle").contains("without taking its waker");
            assertThat(block(dump, "'fine'")).doesNotContain("LINT");
            lost.cancel();
            fine.cancel();
        }
    }

    @Test
    void aLongPollIsReportedWithItsDuration() throws Exception {
        try (var rt = Runtimes.multiThreadBuilder().name("lint-long").workers(2).build()) {
            Task<Object> slow = rt.spawnFuture("slow-poll", cx -> {
                sleepHard(40);                              // blocks its worker inside a poll (the first poll is not checked)
                cx.waker().wake();
                return Poll.pending();
            });
            String dump = awaitDump(d -> d.contains("LINT LONG_POLL"));
            assertThat(block(dump, "'slow-poll'")).containsPattern("LINT LONG_POLL: \\d+ polls took up to \\d+ ms \\(threshold 10 ms\\)");
            slow.cancel();
        }
    }

    @Test
    void aTaskThatNeverYieldsAndTheWatchdogFindingAreBothShown() throws Exception {
        try (var rt = Runtimes.multiThreadBuilder().name("lint-spin").workers(2).watchdog(Duration.ofMillis(200)).onBlocked(r -> { })
                .build()) {
            Task<Void> spin = rt.spawn("spinner", () -> {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_600);
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            });
            String dump = awaitDump(d -> d.contains("LINT NEVER_YIELDED") && d.contains("LINT BLOCKED_WORKER"));
            assertThat(block(dump, "'spinner'")).contains("LINT NEVER_YIELDED: running for")
                    .contains("LINT BLOCKED_WORKER: the watchdog found it holding worker").contains("COMPUTATION");
            spin.join();
        }
    }

    @Test
    void aYieldLoopIsReportedAsSelfWakesAndABusyHealthyTaskIsNot() throws Exception {
        try (var rt = Runtimes.multiThreadBuilder().name("lint-self").workers(1).build()) {
            Task<Object> yielder = rt.spawnFuture("yielder", cx -> {
                cx.waker().wake();                          // wakes itself on every poll, forever
                return Poll.pending();
            });
            Task<Void> sleeper = rt.spawn("sleeper", () -> {
                for (int i = 0; i < 1_000_000; i++) {
                    Weft.sleep(Duration.ofMillis(1));
                }
            });
            String dump = awaitDump(d -> d.contains("LINT SELF_WAKES") && d.matches("(?s).*'sleeper'.*\\((\\d{3,}) runs.*"));
            assertThat(block(dump, "'yielder'")).containsPattern("LINT SELF_WAKES: \\d+ of \\d+ wakes came from its own poll");
            assertThat(block(dump, "'sleeper'")).doesNotContain("LINT");
            yielder.cancel();
            sleeper.cancel();
        }
    }

    @Test
    void busyAndIdleTimesAddUpToTheTaskAge() throws Exception {
        try (var rt = Runtimes.multiThreadBuilder().name("stats").workers(2).build()) {
            var looped = new java.util.concurrent.atomic.AtomicBoolean();
            Task<Void> t = rt.spawn("worker-bee", () -> {
                for (int i = 0; i < 5; i++) {
                    spinHard(60);                           // busy 300 ms in all
                    Weft.sleep(Duration.ofMillis(60));      // idle 300 ms in all
                }
                looped.set(true);
                Weft.sleep(Duration.ofMinutes(5));
            });
            String json = awaitJson(j -> looped.get() && Weft.dump().contains("'worker-bee' sequential IDLE for"));
            long busy = field(json, "worker-bee", "busyMillis");
            long idle = field(json, "worker-bee", "idleMillis");
            assertThat(busy).as("busy ~300 ms on the 5 ms coarse clock").isBetween(200L, 700L);
            assertThat(idle).as("idle ~300 ms, plus the final sleep so far").isGreaterThanOrEqualTo(200L);
            assertThat(field(json, "worker-bee", "lastWakeMillisAgo")).as("woken by its last timer, a moment ago")
                    .isBetween(0L, 5_000L);
            t.cancel();
        }
    }

    // ------------------------------------------------------------------ helpers

    static void sleepHard(long millis) {
        try {
            Thread.sleep(millis);       // a blocking call on purpose
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String awaitDump(Predicate<String> ready) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String d = Weft.dump();
        while (!ready.test(d)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not in the dump within 15 s:\n" + d);
            }
            Thread.sleep(50);
            d = Weft.dump();
        }
        return d;
    }

    static String awaitJson(Predicate<String> ready) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String d = Weft.dumpJson();
        while (!ready.test(d)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not in the dump within 15 s:\n" + d);
            }
            Thread.sleep(50);
            d = Weft.dumpJson();
        }
        return d;
    }

    private static String entry(String json, String name) {
        int at = json.indexOf("\"name\":\"" + name + "\"");
        assertThat(at).isGreaterThanOrEqualTo(0);
        int end = json.indexOf("\"lints\"", at);
        return json.substring(at, end);
    }

    static long field(String json, String name, String field) {
        var m = java.util.regex.Pattern.compile("\"" + field + "\":(\\d+)").matcher(entry(json, name));
        assertThat(m.find()).as(field).isTrue();
        return Long.parseLong(m.group(1));
    }

    static void spinHard(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    static String block(String text, String name) {
        int start = text.indexOf(name + " ");
        assertThat(start).as("%s in:\n%s", name, text).isGreaterThanOrEqualTo(0);
        int lineStart = text.lastIndexOf('\n', start) + 1;
        var m = java.util.regex.Pattern.compile("\n\\s*(#\\d+ '|scope #|runtime ')").matcher(text);
        int end = m.find(start) ? m.start() : text.length();
        return text.substring(lineStart, end);
    }
}
