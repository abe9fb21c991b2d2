package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The median and spread of several launches' figure lines, as {@code ./weft bench … --launches N} prints them. */
class LaunchesTest {

    private static List<BigDecimal> decimals(String... vs) {
        return Stream.of(vs).map(BigDecimal::new).toList();
    }

    /** What {@link Launches#report} printed: stdout lines, then stderr lines, and its result. */
    private record Report(List<String> out, List<String> err, boolean complete) { }

    private static Report report(Launches l) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        boolean complete = l.report(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Report(out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8).lines().toList(),
                complete);
    }

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertThat(Launches.median(decimals("41.0", "35.1", "38.2", "39.9", "36.0")).toPlainString()).isEqualTo("38.2");
        assertThat(Launches.median(decimals("7.5")).toPlainString()).isEqualTo("7.5");
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwoAtTheValuesPrecision() {
        assertThat(Launches.median(decimals("40.0", "30.0", "10.0", "20.0")).toPlainString()).isEqualTo("25.0");
        assertThat(Launches.median(decimals("38.1", "38.2")).toPlainString()).isEqualTo("38.15");   // halving needs a digit more
        assertThat(Launches.median(decimals("120344", "118002")).toPlainString()).isEqualTo("119173");
        assertThat(Launches.median(decimals("101", "100")).toPlainString()).isEqualTo("100.5");
    }

    @Test
    void printsTheMedianInTheSpecFormatFollowedByItsSpread() {
        Launches l = new Launches("micro", 5, List.of("weft-multi/poll"));
        for (String v : List.of("38.2", "41.0", "35.1", "39.0", "36.4")) {
            assertThat(l.addLine("micro yield_many weft-multi/poll " + v + " ns/op")).isTrue();
        }
        Report r = report(l);
        assertThat(r.out()).containsExactly("micro yield_many weft-multi/poll 38.2 ns/op", "# spread 35.1..41.0 (5 launches)");
        assertThat(r.err()).isEmpty();
        assertThat(r.complete()).isTrue();
    }

    @Test
    void ordersFiguresByTheSpecsWorkloadsThenTheGivenRunnersWhateverTheInputOrder() throws IOException {
        Launches l = new Launches("micro", 2, List.of("weft-multi/poll", "jdk/vthread"));
        // runner-major, as the launches print them, and jdk/vthread's launch first
        l.read(new StringReader("""
                # launch 1/2 runner jdk/vthread exit 0
                micro mpsc_100k jdk/vthread 40.0 ns/op
                micro spawn_many jdk/vthread 200.0 ns/op
                weft: something on the way
                echo c50 netty/nio 1000 msg/s
                # launch 1/2 runner weft-multi/poll exit 0
                micro spawn_many weft-multi/poll 100.0 ns/op
                micro mpsc_100k weft-multi/poll 30.0 ns/op
                micro spawn_many weft-multi/poll 110.0 ns/op
                micro mpsc_100k weft-multi/poll 34.0 ns/op
                micro spawn_many jdk/vthread 220.0 ns/op
                micro mpsc_100k jdk/vthread 44.0 ns/op
                """));
        Report r = report(l);
        assertThat(r.out()).containsExactly(
                "micro spawn_many weft-multi/poll 105.0 ns/op", "# spread 100.0..110.0 (2 launches)",
                "micro spawn_many jdk/vthread 210.0 ns/op", "# spread 200.0..220.0 (2 launches)",
                "micro mpsc_100k weft-multi/poll 32.0 ns/op", "# spread 30.0..34.0 (2 launches)",
                "micro mpsc_100k jdk/vthread 42.0 ns/op", "# spread 40.0..44.0 (2 launches)");
        assertThat(r.complete()).isTrue();
    }

    @Test
    void keepsEachUnitOfAFigureApartInTheOrderFirstSeen() {
        Launches l = new Launches("echo", 3, List.of("netty/nio"));
        for (String[] v : new String[][] {{"1000", "90"}, {"1200", "70"}, {"1100", "80"}}) {
            l.addLine("echo c500 netty/nio " + v[0] + " msg/s");
            l.addLine("echo c500 netty/nio " + v[1] + " us");
            l.addLine("echo c50 netty/nio " + v[0] + " msg/s");
        }
        assertThat(report(l).out()).containsExactly(
                "echo c50 netty/nio 1100 msg/s", "# spread 1000..1200 (3 launches)",
                "echo c500 netty/nio 1100 msg/s", "# spread 1000..1200 (3 launches)",
                "echo c500 netty/nio 80 us", "# spread 70..90 (3 launches)");
    }

    @Test
    void aRunnerThatPrintedNothingIsReportedMissingWithItsReason() throws IOException {
        Launches l = new Launches("micro", 2, List.of("weft-multi/poll", "tokio/multi", "jdk/vthread", "weft-current/poll"));
        l.read(new StringReader("""
                # launch 1/2 runner weft-multi/poll exit 0
                micro ping_pong weft-multi/poll 300.0 ns/op
                # launch 1/2 runner tokio/multi skipped: cargo is missing
                # launch 1/2 runner jdk/vthread exit 1
                # launch 1/2 runner weft-current/poll exit 0
                # launch 2/2 runner weft-multi/poll exit 0
                micro ping_pong weft-multi/poll 320.0 ns/op
                # launch 2/2 runner jdk/vthread exit 134
                # launch 2/2 runner weft-current/poll exit 0
                """));
        Report r = report(l);
        assertThat(r.out()).containsExactly("micro ping_pong weft-multi/poll 310.0 ns/op", "# spread 300.0..320.0 (2 launches)");
        assertThat(r.err()).containsExactly(
                "weft: micro tokio/multi: no figures in 2 launches (skipped: cargo is missing)",
                "weft: micro jdk/vthread: no figures in 2 launches (exit status 1, 134 in 2 of 2 launches)",
                "weft: micro weft-current/poll: no figures in 2 launches (it printed no figure line)");
        assertThat(r.complete()).isFalse();
    }

    @Test
    void aFigureMissingFromSomeLaunchesShowsHowManyHadIt() {
        Launches l = new Launches("micro", 3, List.of("jdk/vthread"));
        l.addLine("micro yield_many jdk/vthread 100.0 ns/op");
        l.addLine("micro spawn_many jdk/vthread 200.0 ns/op");
        l.addLine("micro yield_many jdk/vthread 120.0 ns/op");
        l.exited("jdk/vthread", 1);
        Report r = report(l);
        assertThat(r.out()).containsExactly(
                "micro spawn_many jdk/vthread 200.0 ns/op", "# spread 200.0..200.0 (1 of 3 launches)",
                "micro yield_many jdk/vthread 110.0 ns/op", "# spread 100.0..120.0 (2 of 3 launches)");
        assertThat(r.complete()).isTrue();
    }

    @Test
    void onlyFigureLinesAreFigures() {
        assertThat(Launches.Figure.parse("micro yield_many weft-multi/poll 38.2 ns/op")).get()
                .hasToString("micro yield_many weft-multi/poll 38.2 ns/op");
        assertThat(Launches.Figure.parse("# spread 35.1..41.0 (5 launches)")).isEmpty();
        assertThat(Launches.Figure.parse("# launch 2/5: micro yield_many weft-multi/poll 38.2 ns/op")).isEmpty();
        assertThat(Launches.Figure.parse("weft: tokio/multi skipped: cargo is missing")).isEmpty();
        assertThat(Launches.Figure.parse("  spawn_many     jdk/vthread   min 1.0  median 2.0  max 3.0 ns/op")).isEmpty();
    }
}
