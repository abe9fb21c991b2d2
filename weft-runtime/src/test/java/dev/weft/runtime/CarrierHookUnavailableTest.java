package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM started without the flag: the clear error, and what still works. */
class CarrierHookUnavailableTest {

    @Test
    void withoutTheFlagSequentialTasksFailWithAClearErrorAndTheRestWorks() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                NoFlagProbe.class.getName()))
                .redirectErrorStream(true)
                .start();
        String out = readAll(p);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe JVM finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("hook=false");
        assertThat(out).contains("poll=42");                       // poll tasks need no flag
        assertThat(out).contains("error=Runtime 'probe' cannot run sequential")
                .contains("--add-opens java.base/java.lang=ALL-UNNAMED")
                .contains("./weft")
                .contains("Runtimes.jdkDefault()");
        assertThat(out).contains("weftRun=ok");
        // a third party's runtime (Carriers): carried threads need the flag and say so; JDK-scheduled ones do not
        assertThat(out).contains("carriedByError=Runtime 'third-party' cannot run sequential")
                .contains("--add-opens java.base/java.lang=ALL-UNNAMED");
        assertThat(out).contains("jdkScheduled=true");                     // Weft.run falls back to the JDK runtime
    }

    @Test
    void withTheFlagTheHookIsAvailable() {
        // Surefire runs this JVM with the flags ./weft passes.
        assertThat(Runtimes.carrierHookAvailable()).as("carrier hook in the test JVM").isTrue();
    }

    private static String readAll(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
