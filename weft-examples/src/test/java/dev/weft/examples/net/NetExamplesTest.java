package dev.weft.examples.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The network examples in both styles: each serves, talks to itself through real sockets, and exits. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetExamplesTest {

    private static String run(ThrowingMain main) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingMain {
        void run() throws Exception;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "poll"})
    void echoServerEchoesEachClient(String style) throws Exception {
        String out = run(() -> EchoServer.main(new String[] {style}));
        assertThat(out).contains(style + " style")
                .contains("echoed: hello from client 0", "echoed: hello from client 1", "echoed: hello from client 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "poll"})
    void lineServerAnswersEachCommand(String style) throws Exception {
        String out = run(() -> LineServer.main(new String[] {style}));
        assertThat(out).contains("ECHO hello -> hello", "UPPER quiet please -> QUIET PLEASE",
                "NOPE -> ERR unknown command 'NOPE'", "QUIT -> BYE");
    }
}
