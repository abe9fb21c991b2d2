package dev.weft.internal;

import java.net.URL;
import java.security.CodeSource;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Switches for costly diagnostics. Spawn-site capture walks the stack (microseconds), so it is
 * off unless {@code -Dweft.spawnSites=true} or {@link #setSpawnSites(boolean)}.
 */
public final class Diagnostics {
    private static volatile boolean spawnSites = Boolean.getBoolean("weft.spawnSites");
    private static final Set<URL> LIBRARY_LOCATIONS = new CopyOnWriteArraySet<>();
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    static {
        registerLibrary(Diagnostics.class);
    }

    private Diagnostics() { }

    /** True while spawn sites are captured. */
    public static boolean spawnSites() {
        return spawnSites;
    }

    /** Turns spawn-site capture on or off for tasks spawned from now on. */
    public static void setSpawnSites(boolean on) {
        spawnSites = on;
    }

    /** Marks the code source of {@code libraryClass} as Weft's own, so its frames are skipped. */
    public static void registerLibrary(Class<?> libraryClass) {
        CodeSource source = libraryClass.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            LIBRARY_LOCATIONS.add(source.getLocation());
        }
    }

    /**
     * True if {@code c} comes from Weft or a registered library ({@link #registerLibrary}): from
     * the same jar or classes directory. Each Weft module registers itself from the classes its
     * code cannot run without (core here, a runtime's class, weft-sync's and weft-io's cores), so a
     * frame of any of its classes counts; your code, examples and tests come from elsewhere.
     */
    public static boolean isLibrary(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source != null && source.getLocation() != null && LIBRARY_LOCATIONS.contains(source.getLocation());
    }

    /** The first frame of the caller outside Weft and the JDK, or null. */
    static StackTraceElement captureSpawnSite() {
        return WALKER.walk(frames -> frames
                .filter(f -> !isLibraryOrJdk(f.getDeclaringClass()))
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
    }

    private static boolean isLibraryOrJdk(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return true;
        }
        return LIBRARY_LOCATIONS.contains(source.getLocation());
    }
}
