package dev.weft.internal;

import dev.weft.Context;
import java.util.function.Predicate;

/**
 * The task machinery's view of {@link Context}'s "waker taken" mark, which {@code Context} keeps
 * private to its public API (the JDK's shared-secrets pattern: {@code Context}'s static
 * initializer installs the reader, before any context exists).
 */
public final class ContextMarks {
    private static Predicate<Context> reader;

    private ContextMarks() { }

    /** Called once, by {@code Context}'s static initializer. */
    public static void install(Predicate<Context> takeMark) {
        if (reader != null) {
            throw new IllegalStateException("already installed");
        }
        reader = takeMark;
    }

    /** True if {@code cx.waker()} was called since the last call; clears the mark. */
    static boolean takeWakerMark(Context cx) {
        return reader.test(cx);
    }
}
