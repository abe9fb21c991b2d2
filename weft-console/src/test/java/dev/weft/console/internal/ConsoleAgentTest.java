package dev.weft.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Future;
import dev.weft.Weft;
import dev.weft.console.WeftConsole;
import dev.weft.runtime.Runtimes;
import dev.weft.spi.DiagnosticsAgent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code -Dweft.console=PORT}: the {@link DiagnosticsAgent} that starts a console without code changes. */
@Timeout(120)
class ConsoleAgentTest {
    private static final Pattern CONSOLE_LINE = Pattern.compile("weft: console at (http://\\S+/) \\(-Dweft.console=0\\)");

    @Test
    void theCoreFindsTheAgentForWeftConsoleWithServiceLoader() {
        List<String> found = new ArrayList<>();
        for (DiagnosticsAgent agent : ServiceLoader.load(DiagnosticsAgent.class, DiagnosticsAgent.class.getClassLoader())) {
            found.add(agent.getClass().getName() + " " + agent.property());
        }
        assertThat(found).contains(ConsoleAgent.class.getName() + " weft.console");
    }

    @Test
    void aPortAloneStartsAConsoleOn127001() throws Exception {
        ConsoleAgent agent = new ConsoleAgent();
        agent.start("0");
        try (WeftConsole console = agent.console()) {
            assertThat(console.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(status(console.uri())).isEqualTo(200);
        }
    }

    @Test
    void hostAndPortStartsItThere() throws Exception {
        ConsoleAgent agent = new ConsoleAgent();
        agent.start(" 127.0.0.1:0 ");
        try (WeftConsole console = agent.console()) {
            assertThat(console.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(status(console.uri())).isEqualTo(200);
        }
        InetSocketAddress v6 = ConsoleAgent.address("[::1]:8080", "[::1]:8080");
        assertThat(v6.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(v6.getPort()).isEqualTo(8080);
    }

    @Test
    void aValueThatIsNeitherPortNorHostAndPortIsRefusedWithTheExpectedForm() {
        ConsoleAgent agent = new ConsoleAgent();
        assertThatThrownBy(() -> agent.start("eighty"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("-Dweft.console=eighty: 'eighty' is not a port number")
                .hasMessageContaining("-Dweft.console=8080");
        assertThatThrownBy(() -> agent.start("70000")).hasMessageContaining("70000 is not a TCP port");
        assertThatThrownBy(() -> agent.start("::1:8080")).hasMessageContaining("[::1]:8080");
        assertThatThrownBy(() -> agent.start(":8080")).hasMessageContaining("the host is empty");
        assertThatThrownBy(() -> agent.start("127.0.0.1:")).hasMessageContaining("'' is not a port number");
        assertThat(agent.console()).isNull();
    }

    @Test
    void weftConsoleSystemPropertyStartsAConsoleOnLoopbackInAFreshJvm() throws Exception {
        Process p = childJvm(AgentProbe.class, "-Dweft.console=0");
        try {
            StringBuilder output = new StringBuilder();
            URI uri = null;
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            while (uri == null) {
                String line = lines.readLine();
                if (line == null) {
                    break;      // the child ended without a console
                }
                output.append(line).append('\n');
                Matcher m = CONSOLE_LINE.matcher(line);
                if (m.find()) {
                    uri = URI.create(m.group(1));
                }
            }
            assertThat(uri).as("the child says where its console is; it printed:\n" + output).isNotNull();
            assertThat(uri.getHost()).isEqualTo("127.0.0.1");
            // The console may answer before the probe has spawned its task: ask until it is there.
            HttpResponse<String> dump;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do {
                dump = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(uri.resolve("/api/dump")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(dump.statusCode()).isEqualTo(200);
            } while (!dump.body().contains("\"name\":\"agent-probe-task\"") && System.nanoTime() < deadline
                    && sleep(50));
            assertThat(dump.body()).contains("\"name\":\"agent-probe-task\"");
            p.getOutputStream().close();      // the probe exits at the end of its input
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void anOpenConsoleDoesNotKeepTheJvmAlive() throws Exception {
        Process p = childJvm(OpenConsoleProbe.class);
        try {
            boolean exited = p.waitFor(30, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
            assertThat(exited).as("the JVM exits when main returns, console still open; it printed:\n" + out).isTrue();
            assertThat(out).contains("console at http://127.0.0.1:");
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private static Process childJvm(Class<?> main, String... properties) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .start();
    }

    private static int status(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Runs in a child JVM started with {@code -Dweft.console=0}: a runtime with one task, until stdin ends. */
    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    static final class AgentProbe {
        public static void main(String[] args) throws Exception {
            try (var rt = Runtimes.multiThreadBuilder().name("agent-probe").workers(1).build()) {
                var task = rt.spawn("agent-probe-task", () -> Weft.sleep(Duration.ofMinutes(5)));
                var pending = rt.spawnFuture("agent-probe-pending", Future.never());
                System.in.readAllBytes();
                task.cancel();
                pending.cancel();
            }
        }
    }

    /** Runs in a child JVM: starts a console from main (a non-daemon thread) and returns without closing it. */
    static final class OpenConsoleProbe {
        public static void main(String[] args) {
            WeftConsole console = WeftConsole.start(0);
            System.out.println("console at " + console.uri());
        }
    }
}
