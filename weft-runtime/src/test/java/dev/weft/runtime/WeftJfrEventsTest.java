package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Poll;
import dev.weft.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weft's JFR events, recorded to a file and read back: their fields say what happened. */
class WeftJfrEventsTest {

    @Test
    void spawnEndLongPollBlockedWorkerLintAndRuntimeStatsAreRecorded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("weft.jfr");
        try (Recording rec = new Recording()) {
            rec.enable("dev.weft.TaskSpawn");
            rec.enable("dev.weft.TaskEnd");
            rec.enable("dev.weft.LongPoll");
            rec.enable("dev.weft.BlockedWorker");
            rec.enable("dev.weft.Lint");
            rec.enable("dev.weft.RuntimeStats").withPeriod(Duration.ofMillis(200));
            rec.start();
            try (var rt = Runtimes.multiThreadBuilder().name("jfr-probe").workers(2).watchdog(Duration.ofMillis(100))
                    .onBlocked(r -> { }).build()) {
                rt.spawn("short-lived", () -> 42).join();
                var polled = new java.util.concurrent.atomic.AtomicBoolean();
                Task<Object> slow = rt.spawnFuture("slow-poll", cx -> {
                    if (!polled.getAndSet(true)) {          // a quick first poll (first polls are not checked)
                        cx.waker().wake();
                        return Poll.pending();
                    }
                    TaskLintsTest.sleepHard(250);           // a long poll, and a blocked worker for the watchdog
                    return Poll.ready("done");
                });
                slow.join();
                Task<Object> lost = rt.spawnFuture("lost-waker", cx -> Poll.pending());
                TaskLintsTest.awaitDump(d -> d.contains("LINT LOST_WAKER"));
                Thread.sleep(2_200);                        // the once-a-second lint scan reports it
                lost.cancel();
            }
            rec.stop();
            rec.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);

        RecordedEvent spawn = one(events, "dev.weft.TaskSpawn", "short-lived");
        assertThat(spawn.getString("kind")).isEqualTo("SEQUENTIAL");
        assertThat(spawn.getString("runtime")).isEqualTo("jfr-probe");
        assertThat(spawn.getLong("taskId")).isPositive();
        RecordedEvent end = one(events, "dev.weft.TaskEnd", "short-lived");
        assertThat(end.getString("outcome")).isEqualTo("succeeded");
        assertThat(end.getLong("taskId")).isEqualTo(spawn.getLong("taskId"));

        RecordedEvent longPoll = one(events, "dev.weft.LongPoll", "slow-poll");
        assertThat(longPoll.getLong("durationMillis")).isGreaterThanOrEqualTo(200);
        assertThat(longPoll.getString("kind")).isEqualTo("POLL");
        assertThat(longPoll.getString("stack")).as("with the stack where it ended").contains("PollTask");
        assertThat(longPoll.getString("future")).contains("lambda in WeftJfrEventsTest");

        RecordedEvent blocked = events.stream().filter(e -> e.getEventType().getName().equals("dev.weft.BlockedWorker")
                && "slow-poll".equals(e.getString("taskName"))).findFirst().orElseThrow(() -> new AssertionError("no BlockedWorker"));
        assertThat(blocked.getString("runtime")).isEqualTo("jfr-probe");
        assertThat(blocked.getString("cause")).isEqualTo("BLOCKING_CALL");
        assertThat(blocked.getLong("blockedForMillis")).isGreaterThanOrEqualTo(100);
        assertThat(blocked.getString("topFrame")).contains("Thread.sleep");

        RecordedEvent lint = events.stream().filter(e -> e.getEventType().getName().equals("dev.weft.Lint")
                && "lost-waker".equals(e.getString("taskName"))).findFirst().orElseThrow(() -> new AssertionError("no Lint"));
        assertThat(lint.getString("lint")).isEqualTo("LOST_WAKER");
        assertThat(lint.getString("message")).contains("without taking its waker");
        assertThat(lint.getString("runtime")).isEqualTo("jfr-probe");

        assertThat(events.stream().filter(e -> e.getEventType().getName().equals("dev.weft.RuntimeStats")
                && "jfr-probe".equals(e.getString("runtime")))).as("periodic runtime statistics")
                .anySatisfy(e -> {
                    assertThat(e.getInt("workers")).isEqualTo(2);
                    assertThat(e.getLong("taskRuns")).isPositive();
                });
        assertThat(events.stream().filter(e -> e.getEventType().getName().startsWith("dev.weft.")))
                .allSatisfy(e -> assertThat(e.getEventType().getCategoryNames()).containsExactly("Weft"));
    }

    private static RecordedEvent one(List<RecordedEvent> events, String type, String taskName) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type) && taskName.equals(e.getString("taskName")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " for " + taskName + " among "
                        + events.stream().map(e -> e.getEventType().getName()).distinct().toList()));
    }

}
