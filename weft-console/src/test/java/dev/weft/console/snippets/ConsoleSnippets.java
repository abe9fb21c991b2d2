package dev.weft.console.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.console.WeftConsole;
import dev.weft.runtime.Runtimes;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Examples shown in the Javadoc of {@link WeftConsole}; each is a test. */
class ConsoleSnippets {

    @Test
    void start() throws Exception {
        // @start region="start"
        try (var rt = Runtimes.multiThreadBuilder().name("shop").workers(2).build();
             var console = WeftConsole.start(0)) {                   // 127.0.0.1, any free port (or 8080: a fixed one)
            var orders = rt.spawn("orders", () -> Weft.sleep(Duration.ofMinutes(1)));
            int port = console.address().getPort();
            assertThat(console.uri()).hasToString("http://127.0.0.1:" + port + "/");   // open it in a browser

            // the page reads the same JSON: /api/dump (tasks) and /api/runtimes (the runtimes' MXBeans)
            String dump = HttpClient.newHttpClient().send(HttpRequest.newBuilder(console.uri().resolve("/api/dump")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(dump).contains("\"name\":\"orders\"");
            orders.cancel();
        }                                                             // close(): the page shows "disconnected"
        // @end
    }

    @Test
    void startOnAddress() {
        // @start region="startOnAddress"
        var everyInterface = new InetSocketAddress("0.0.0.0", 0);    // anyone who can reach this machine sees the tasks
        try (var console = WeftConsole.start(everyInterface)) {
            assertThat(console.address().getAddress().isAnyLocalAddress()).isTrue();
            assertThat(console.uri().getHost()).isEqualTo("127.0.0.1");     // the address to use from this machine
        }
        // @end
    }
}
