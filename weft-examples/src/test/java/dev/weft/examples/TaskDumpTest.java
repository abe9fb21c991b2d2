package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.TaskScope;
import dev.weft.Weft;
import dev.weft.io.IoBuf;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's known situation: a task stuck in {@code recv} on an empty channel, one in a
 * {@code select} over a socket read and a sleep, one in a shielded cleanup, and a scope with two
 * children. Every fact the dump promises is asserted, in the text and in the parsed JSON.
 */
class TaskDumpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDumpOfAKnownSituationNamesEveryTaskWhatItWaitsOnAndWhere() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("dump-test").workers(2).build()) {
            ((dev.weft.spi.AbstractRuntime) rt).setCloseGrace(Duration.ofMillis(300));   // the shielded cleanup would hold close 5 s
            TcpListener listener = rt.spawn(() -> TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))).join();
            Channel<String> inbox = Channels.mpsc(4);
            CountDownLatch cleanerStarted = new CountDownLatch(1);
            CountDownLatch cleanupStarted = new CountDownLatch(1);
            CountDownLatch ownerInScope = new CountDownLatch(2);

            Task<String> receiver = rt.spawn("receiver", () -> inbox.receiver().recv());
            Task<Object> reader = rt.spawnFuture("reader", Weft.async(() -> {
                TcpStream s = TcpStream.connect(listener.localAddress());
                return s;
            }).then(s -> Future.select(s.readOwned(IoBuf.allocate(64)), Future.sleep(Duration.ofMinutes(5)))
                    .map(e -> (Object) e)));
            Task<Void> cleaner = rt.spawn("cleaner", () -> {
                try {
                    cleanerStarted.countDown();
                    Weft.sleep(Duration.ofMinutes(5));
                } finally {
                    Weft.shielded(() -> {
                        cleanupStarted.countDown();
                        Weft.sleep(Duration.ofMinutes(5));      // a slow cleanup: flush, say
                    });
                }
            });
            Task<Void> owner = rt.spawn("owner", () -> {
                try (TaskScope scope = TaskScope.open()) {
                    scope.spawn("child-a", () -> {
                        ownerInScope.countDown();
                        Weft.sleep(Duration.ofMinutes(5));
                    });
                    scope.spawn("child-b", () -> {
                        ownerInScope.countDown();
                        Weft.sleep(Duration.ofMinutes(5));
                    });
                    scope.join();
                }
            });
            TcpStream accepted = rt.spawn(listener::accept).join();     // the reader connected; it sends nothing
            // Cancelled before its first run, the cleaner would never enter its try, nor its finally.
            awaitLatch(cleanerStarted, "the cleaner to start");
            cleaner.cancel();
            awaitLatch(cleanupStarted, "the cleaner's shielded cleanup to start");
            awaitLatch(ownerInScope, "both scope children to start");

            String text = awaitDump(() -> Weft.dump(), t ->
                    t.contains("'receiver' sequential IDLE") && t.contains("'reader' poll IDLE")
                            && t.contains("'cleaner' sequential IDLE") && t.contains("'child-b' sequential IDLE")
                            && t.contains("'owner' sequential IDLE"));
            // the runtime and its tasks
            assertThat(text).contains("runtime 'dump-test'").contains("multi-thread, 2 workers");
            // a sequential task stuck in recv: parked in Weft, on what, and where (its own frame)
            assertThat(block(text, "'receiver'"))
                    .contains("parked in Weft, on recv(mpsc#")
                    .contains("[empty, 1 sender]")
                    .contains("at dev.weft.examples.TaskDumpTest.lambda$")
                    .doesNotContain("java.base/").doesNotContain("dev.weft.internal.Await");
            // a poll task in a select over a socket read and a sleep: the future chain names itself
            assertThat(block(text, "'reader'"))
                    .contains("pending: then(done, now map(select(read(TcpStream[/127.0.0.1:")
                    .contains("sleep(5 min, ");
            // a cancelled task in a shielded cleanup
            assertThat(block(text, "'cleaner'")).contains("CANCELLED").contains("SHIELDED").contains("on sleep(5 min");
            // the scope: who opened it, and its two children under it
            assertThat(text).containsPattern("scope #\\d+, opened by sequential task 'owner' #" + owner.id() + ": 2 children running");
            assertThat(text.indexOf("'child-a' sequential")).isGreaterThan(text.indexOf("opened by sequential task 'owner'"));
            assertThat(block(text, "'owner'")).contains("on the end of scope child 'child-");

            JsonNode dump = JSON.readTree(Weft.dumpJson()).get("threadDump");
            assertThat(dump.get("processId").asText()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThat(dump.get("runtimeVersion").asText()).isEqualTo(java.lang.Runtime.version().toString());
            assertThat(dump.get("time").asText()).isNotBlank();
            JsonNode runtimeContainer = container(dump, "weft runtime 'dump-test' #" + ((dev.weft.spi.AbstractRuntime) rt).id());
            assertThat(runtimeContainer.get("parent").asText()).isEqualTo("<root>");
            assertThat(runtimeContainer.get("weft").get("description").asText()).isEqualTo("multi-thread, 2 workers");

            JsonNode recv = task(runtimeContainer, receiver.id());
            assertThat(recv.get("name").asText()).isEqualTo("receiver");
            assertThat(recv.get("state").asText()).isEqualTo("IDLE");
            assertThat(recv.get("weft").get("kind").asText()).isEqualTo("SEQUENTIAL");
            assertThat(recv.get("weft").get("where").asText()).isEqualTo("parked in Weft");
            assertThat(recv.get("weft").get("waitingOn").asText()).startsWith("recv(mpsc#");
            assertThat(recv.get("weft").get("stateForMillis").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(strings(recv.get("stack"))).anyMatch(f -> f.startsWith("dev.weft.examples.TaskDumpTest.lambda$"));
            assertThat(recv.get("weft").get("threadState").asText()).isEqualTo("WAITING");

            JsonNode poll = task(runtimeContainer, reader.id());
            assertThat(poll.get("weft").get("kind").asText()).isEqualTo("POLL");
            assertThat(poll.get("weft").get("future").asText()).contains("select(read(TcpStream[").contains("sleep(5 min");
            assertThat(poll.get("stack")).isEmpty();

            JsonNode clean = task(runtimeContainer, cleaner.id());
            assertThat(clean.get("weft").get("cancelled").asBoolean()).isTrue();
            assertThat(clean.get("weft").get("shielded").asBoolean()).isTrue();

            JsonNode scope = null;
            for (JsonNode c : dump.get("threadContainers")) {
                if (c.get("container").asText().startsWith("weft scope #")) {
                    scope = c;
                }
            }
            assertThat(scope).as("a container for the scope").isNotNull();
            assertThat(scope.get("owner").asText()).isEqualTo(Long.toString(owner.id()));
            assertThat(scope.get("parent").asText()).isEqualTo(runtimeContainer.get("container").asText());
            assertThat(scope.get("threadCount").asText()).isEqualTo("2");
            List<String> childNames = new ArrayList<>();
            scope.get("threads").forEach(t -> childNames.add(t.get("name").asText()));
            assertThat(childNames).containsExactlyInAnyOrder("child-a", "child-b");

            // full stacks on request: the JDK and Weft frames are there too
            assertThat(block(awaitDump(() -> {
                var out = new java.io.ByteArrayOutputStream();
                Weft.dump(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), Weft.Stacks.FULL);
                return out.toString(java.nio.charset.StandardCharsets.UTF_8);
            }, t -> true), "'receiver'")).contains("dev.weft.internal.Await").contains("java.base/");

            owner.cancel();
            receiver.cancel();
            reader.cancel();
            rt.spawn(() -> {
                accepted.close();
                listener.close();
            }).join();
        }
    }

    @Test
    void aClosedRuntimeLeavesTheDump() {
        Runtime rt = Runtimes.currentThread("gone-soon");
        assertThat(Weft.dump()).contains("runtime 'gone-soon'");
        rt.close();
        assertThat(Weft.dump()).doesNotContain("runtime 'gone-soon'");
    }

    @Test
    void aToStringThatThrowsIsShownAsSuchAndTheDumpGoesOn() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("bad-tostring").workers(1).build()) {
            Task<Object> t = rt.spawnFuture("odd", new Future<>() {
                @Override
                public dev.weft.Poll<Object> poll(dev.weft.Context cx) {
                    return dev.weft.Poll.pending();
                }

                @Override
                public String toString() {
                    throw new IllegalStateException("no description today");
                }
            });
            String text = awaitDump(Weft::dump, d -> d.contains("'odd' poll IDLE"));
            assertThat(block(text, "'odd'")).contains("(toString threw IllegalStateException)");
            t.cancel();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void awaitLatch(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("waited 30 s for " + what + ":\n" + Weft.dump());
        }
    }

    private static String awaitDump(java.util.function.Supplier<String> dump, java.util.function.Predicate<String> ready)
            throws RuntimeException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String last = dump.get();
        while (!ready.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the dump did not show the expected states in 10 s:\n" + last);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            last = dump.get();
        }
        return last;
    }

    /** The lines of one task's entry: from its header to the next task or scope header. */
    private static String block(String text, String name) {
        int start = text.indexOf(name + " ");
        assertThat(start).as("task %s in the dump:\n%s", name, text).isGreaterThanOrEqualTo(0);
        int lineStart = text.lastIndexOf('\n', start) + 1;
        int end = text.length();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\n\\s*(#\\d+ '|scope #|runtime ')").matcher(text);
        if (m.find(start)) {
            end = m.start();
        }
        return text.substring(lineStart, end);
    }

    private static JsonNode container(JsonNode dump, String name) {
        for (JsonNode c : dump.get("threadContainers")) {
            if (c.get("container").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no container " + name + " in " + dump);
    }

    private static JsonNode task(JsonNode container, long id) {
        for (JsonNode t : container.get("threads")) {
            if (t.get("tid").asText().equals(Long.toString(id))) {
                return t;
            }
        }
        throw new AssertionError("no task " + id + " in " + container);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
