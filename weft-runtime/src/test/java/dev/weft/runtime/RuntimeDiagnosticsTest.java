package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Future;
import dev.weft.Task;
import dev.weft.Weft;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeing a runtime without code changes: its JMX bean, and a dump when the JVM exits. */
class RuntimeDiagnosticsTest {

    @Test
    void eachRuntimeHasAnMXBeanWithItsTasksCountersAndTheDumpOperations() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.weft:type=Runtime,name=" + ObjectName.quote("jmx-probe"));
        try (var rt = Runtimes.multiThreadBuilder().name("jmx-probe").workers(2).build()) {
            Task<Void> sleeper = rt.spawn("jmx-sleeper", () -> Weft.sleep(Duration.ofMinutes(5)));
            Task<Object> pending = rt.spawnFuture("jmx-pending", Future.never());
            for (int i = 0; i < 100; i++) {
                rt.spawn(() -> 1).join();
            }
            awaitTrue(() -> server.isRegistered(name), "the bean is registered shortly after the runtime is built");
            awaitTrue(() -> (Integer) server.getAttribute(name, "IdleTasks") == 2, "both tasks idle");

            assertThat(server.getAttribute(name, "Name")).isEqualTo("jmx-probe");
            assertThat(server.getAttribute(name, "Description")).isEqualTo("multi-thread, 2 workers");
            assertThat(server.getAttribute(name, "Workers")).isEqualTo(2);
            assertThat(server.getAttribute(name, "LiveTasks")).isEqualTo(2);
            assertThat((Long) server.getAttribute(name, "TaskRuns")).as("100 tasks ran").isGreaterThanOrEqualTo(100L);
            assertThat(server.getAttribute(name, "Closed")).isEqualTo(false);
            String dump = (String) server.invoke(name, "dumpTasks", new Object[0], new String[0]);
            assertThat(dump).contains("'jmx-sleeper' sequential IDLE").contains("'jmx-pending' poll IDLE");
            String json = (String) server.invoke(name, "dumpTasksJson", new Object[0], new String[0]);
            assertThat(json).startsWith("{\"threadDump\":").contains("\"name\":\"jmx-sleeper\"");
            sleeper.cancel();
            pending.cancel();
        }
        awaitTrue(() -> !server.isRegistered(name), "the bean is gone once the runtime closed");
    }

    @Test
    void twoOpenRuntimesWithOneNameGetTwoBeans() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try (var a = Runtimes.currentThread("twin"); var b = Runtimes.currentThread("twin")) {
            awaitTrue(() -> server.queryNames(new ObjectName("dev.weft:type=Runtime,*"), null).stream()
                    .filter(n -> n.getKeyProperty("name").startsWith("\"twin")).count() == 2, "one bean per runtime");
        }
    }

    @Test
    void dumpOnExitWritesTheTasksStillAliveWhenTheJvmExits(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("exit-dump.json");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = new ProcessBuilder(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Dweft.dumpOnExit=" + file, "-cp", System.getProperty("java.class.path"), ExitProbe.class.getName()))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        String json = Files.readString(file);
        assertThat(json).startsWith("{\"threadDump\":").contains("\"name\":\"stuck-at-exit\"").contains("\"state\":\"IDLE\"");
    }

    /** Runs in a child JVM: a task stuck in a sleep when the program calls System.exit. */
    static final class ExitProbe {
        public static void main(String[] args) throws Exception {
            var rt = Runtimes.multiThreadBuilder().name("exit-probe").workers(1).build();
            rt.spawn("stuck-at-exit", () -> Weft.sleep(Duration.ofMinutes(5)));
            Thread.sleep(200);
            System.exit(3);
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
