package dev.weft.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Future;
import dev.weft.Task;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console's HTTP API, over loopback, with the JDK's HTTP client. */
@Timeout(60)
class WeftConsoleApiTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void startOnAPortListensOn127001Only() throws Exception {
        try (WeftConsole console = WeftConsole.start(0)) {
            InetSocketAddress address = console.address();
            assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(address.getAddress().isLoopbackAddress()).isTrue();
            assertThat(address.getPort()).isBetween(1, 65535);
            assertThat(console.uri()).isEqualTo(URI.create("http://127.0.0.1:" + address.getPort() + "/"));
            assertThat(get(console, "/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void dumpListsTheNamedTasksOfARunningRuntime() throws Exception {
        Channel<String> channel = Channels.mpsc(16);
        try (var rt = Runtimes.multiThreadBuilder().name("api-dump").workers(2).build();
             WeftConsole console = WeftConsole.start(0)) {
            Task<String> waiter = rt.spawn("api-waiter", () -> channel.receiver().recv());
            Task<Object> pending = rt.spawnFuture("api-pending", Future.never());
            AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
            Eventually.await(Duration.ofSeconds(10), "the dump shows 'api-waiter' parked", () -> {
                last.set(get(console, "/api/dump"));
                JsonNode t = task(JSON.readTree(last.get().body()), "api-waiter");
                return t != null && t.path("state").asText().equals("IDLE");
            });
            HttpResponse<String> r = last.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");

            JsonNode dump = JSON.readTree(r.body());
            assertThat(dump.path("threadDump").path("processId").asLong()).isEqualTo(ProcessHandle.current().pid());
            JsonNode waiting = task(dump, "api-waiter");
            assertThat(waiting.path("weft").path("kind").asText()).isEqualTo("SEQUENTIAL");
            assertThat(waiting.path("weft").path("waitingOn").asText()).startsWith("recv(");
            assertThat(waiting.path("stack").toString()).contains(getClass().getName());
            assertThat(task(dump, "api-pending").path("weft").path("kind").asText()).isEqualTo("POLL");

            JsonNode full = JSON.readTree(get(console, "/api/dump?stacks=full").body());
            assertThat(task(full, "api-waiter").path("stack").size())
                    .as("full stacks keep Weft's and the JDK's frames")
                    .isGreaterThan(waiting.path("stack").size());
            waiter.cancel();
            pending.cancel();
        }
    }

    @Test
    void runtimesListsEachRuntimesMXBeanAttributes() throws Exception {
        try (var rt = Runtimes.multiThreadBuilder().name("api-runtimes").workers(2).build();
             WeftConsole console = WeftConsole.start(0)) {
            Task<Object> pending = rt.spawnFuture("api-runtimes-pending", Future.never());
            AtomicReference<JsonNode> found = new AtomicReference<>();
            // the MXBean is registered by a background thread shortly after the runtime is built
            Eventually.await(Duration.ofSeconds(10), "/api/runtimes lists 'api-runtimes' with its task", () -> {
                HttpResponse<String> r = get(console, "/api/runtimes");
                assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
                for (JsonNode bean : JSON.readTree(r.body())) {
                    if (bean.path("Name").asText().equals("api-runtimes") && bean.path("LiveTasks").asInt() == 1) {
                        found.set(bean);
                        return true;
                    }
                }
                return false;
            });
            JsonNode bean = found.get();
            assertThat(bean.path("objectName").asText()).isEqualTo("dev.weft:name=\"api-runtimes\",type=Runtime");
            assertThat(bean.path("Description").asText()).isEqualTo("multi-thread, 2 workers");
            assertThat(bean.path("Workers").asInt()).isEqualTo(2);
            assertThat(bean.path("Closed").isBoolean()).isTrue();
            for (String number : List.of("Id", "ScheduledTasks", "RunningTasks", "IdleTasks", "TaskRuns", "Steals", "Parks",
                    "QueuedTasks", "BlockingPoolThreads", "BlockingPoolQueued")) {
                assertThat(bean.path(number).isNumber()).as(number).isTrue();
            }
            assertThat(bean.has("Drivers")).isTrue();
            pending.cancel();
        }
    }

    @Test
    void servesThePageItsScriptAndStyleFromTheJar() throws Exception {
        try (WeftConsole console = WeftConsole.start(0)) {
            HttpResponse<String> page = get(console, "/");
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("<title>Weft console</title>").contains("app.js").contains("app.css");
            assertThat(page.body()).as("nothing from other hosts").doesNotContain("http://").doesNotContain("https://");
            assertThat(get(console, "/app.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(get(console, "/app.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
    }

    @Test
    void unknownPathsAre404AndOtherMethodsThan_GET_405() throws Exception {
        try (WeftConsole console = WeftConsole.start(0)) {
            HttpResponse<String> missing = get(console, "/api/nothing-here");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("/api/nothing-here");
            assertThat(get(console, "/app.js/").statusCode()).isEqualTo(404);

            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(console.uri().resolve("/api/dump"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        }
    }

    @Test
    void onLoopbackOnlyRequestsForALoopbackHostAreAnswered() throws Exception {
        try (WeftConsole console = WeftConsole.start(0)) {
            assertThat(rawGet(console, "127.0.0.1:" + console.address().getPort())).startsWith("HTTP/1.1 200");
            assertThat(rawGet(console, "localhost:" + console.address().getPort())).startsWith("HTTP/1.1 200");
            assertThat(rawGet(console, "attacker.example:" + console.address().getPort()))
                    .as("a page on another site that rebinds its name to 127.0.0.1 reads nothing")
                    .startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void aPortInUseFailsWithAMessageNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> WeftConsole.start(port))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(BindException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("port " + port + " is in use")
                    .hasMessageContaining("0 picks any free one");
        }
        try (WeftConsole first = WeftConsole.start(0)) {
            int port = first.address().getPort();
            assertThatThrownBy(() -> WeftConsole.start(port)).hasMessageContaining("port " + port + " is in use");
        }
    }

    @Test
    void anInvalidPortOrHostIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> WeftConsole.start(70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000 is not a TCP port")
                .hasMessageContaining("0 for any free port");
        assertThatThrownBy(() -> WeftConsole.start(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WeftConsole.start(InetSocketAddress.createUnresolved("no-such-host.invalid", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void closeStopsServingAtOnceAndIsIdempotent() throws Exception {
        WeftConsole console = WeftConsole.start(0);
        int port = console.address().getPort();
        assertThat(get(console, "/api/runtimes").statusCode()).isEqualTo(200);
        console.close();
        console.close();
        assertThat(console.toString()).contains("closed");
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", port), 2000))
                    .isInstanceOf(ConnectException.class);
        }
        List<String> consoleThreads = new ArrayList<>();
        Eventually.await(Duration.ofSeconds(5), "the console's threads end", () -> {
            consoleThreads.clear();
            Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("weft-console-" + port + "-"))
                    .forEach(t -> consoleThreads.add(t.getName()));
            return consoleThreads.isEmpty();
        });
        try (WeftConsole again = WeftConsole.start(port)) {
            assertThat(again.address().getPort()).as("the port is free again").isEqualTo(port);
        }
    }

    @Test
    void aFailingDumpIsA500AndTheNextRequestIsServed() throws Exception {
        ConsoleData broken = new ConsoleData() {
            @Override
            public String dumpJson(boolean fullStacks) {
                throw new IllegalStateException("no dump today");
            }

            @Override
            public String runtimesJson() {
                return "[]";
            }
        };
        try (WeftConsole console = WeftConsole.start(new InetSocketAddress("127.0.0.1", 0), broken)) {
            HttpResponse<String> r = get(console, "/api/dump");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).contains("no dump today");
            assertThat(get(console, "/api/runtimes").body()).isEqualTo("[]");
        }
    }

    // ------------------------------------------------------------------ helpers

    static HttpResponse<String> get(WeftConsole console, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(console.uri().resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with the given Host header (which the JDK's client will not set), over a plain socket. */
    private static String rawGet(WeftConsole console, String host) throws IOException {
        try (Socket s = new Socket(console.address().getAddress(), console.address().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/runtimes HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The task named {@code name} in any container of a dump, or null. */
    static JsonNode task(JsonNode dump, String name) {
        for (JsonNode container : dump.path("threadDump").path("threadContainers")) {
            for (JsonNode t : container.path("threads")) {
                if (t.path("name").asText().equals(name)) {
                    return t;
                }
            }
        }
        return null;
    }
}
