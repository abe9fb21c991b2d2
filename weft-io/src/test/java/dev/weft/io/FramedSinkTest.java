package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Runtime;
import dev.weft.Sink;
import dev.weft.Stream;
import dev.weft.Task;
import dev.weft.Weft;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A Framed connection's write half as a {@link Sink} (issue 17): a protocol written against the standard traits. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FramedSinkTest {
    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aStreamForwardedIntoAFramedSinkArrivesAsFramesAndThePeerSeesTheEnd(Harness.Rt kind) {
        try (Runtime rt = kind.factory().get()) {
            List<String> got = rt.run(() -> {
                IoPipe pipe = IoPipe.create(1024);                 // small: the sink waits for the reader
                Framed<String> writer = Codecs.lines(pipe.left(), 1 << 16);
                Framed<String> reader = Codecs.lines(pipe.right(), 1 << 16);
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    lines.add("line " + i + " " + "x".repeat(i % 97));
                }
                Sink<Integer> numbered = writer.sink().with(lines::get);
                Task<Void> pour = Weft.spawnFuture(Stream.fromIterable(() -> java.util.stream.IntStream.range(0, 2000).iterator())
                        .forward(numbered));
                List<String> out = Weft.await(reader.toList());    // ends when the sink's close shut the output
                pour.join();
                assertThat(out).isEqualTo(lines);
                return out;
            });
            assertThat(got).hasSize(2000);
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void anItemTheCodecRefusesFailsStartSendAndQueuesNothing(Harness.Rt kind) {
        try (Runtime rt = kind.factory().get()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                Framed<String> writer = Codecs.lines(pipe.left(), 16);
                Framed<String> reader = Codecs.lines(pipe.right(), 16);
                Sink<String> sink = writer.sink();
                sink.send("short");
                assertThatThrownBy(() -> sink.send("far too long for sixteen bytes"))
                        .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(FrameException.class);
                sink.send("after");
                sink.close();
                assertThat(Weft.await(reader.toList())).containsExactly("short", "after");
                return null;
            });
        }
    }
}
