package dev.weft.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code -Dweft.dumpOnExit}: a task dump when the JVM exits (normal exit, {@code System.exit},
 * SIGTERM or Ctrl-C; not {@code kill -9}). {@code true} (or empty) prints the text dump to
 * stderr; a path writes it to that file, as JSON if the path ends in {@code .json}. Installed once,
 * by the first runtime.
 */
final class DumpOnExit {
    private DumpOnExit() { }

    static void install() {
        String target = System.getProperty("weft.dumpOnExit");
        if (target == null || target.equals("false")) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("weft-dump-on-exit").unstarted(() -> write(target)));
    }

    static void write(String target) {
        try {
            TaskDump dump = TaskDump.take();
            if (target.isEmpty() || target.equals("true") || target.equals("stderr")) {
                PrintStream err = System.err;
                err.print(dump.toText(false));
                err.flush();
                return;
            }
            Path path = Path.of(target);
            Files.writeString(path, target.endsWith(".json") ? dump.toJson(false) : dump.toText(false), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            System.err.println("weft: -Dweft.dumpOnExit=" + target + ": could not write the task dump: " + e);
        }
    }
}
