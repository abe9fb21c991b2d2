package dev.weft.ffi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads a shared library that the build placed on the class path under {@code native/}: straight
 * from the file when the classes are a directory, else (a jar) from a temporary copy that is
 * deleted as soon as it is loaded (Linux keeps the mapping). The library stays loaded for the
 * life of the JVM ({@link Arena#global()}).
 */
public final class NativeLibraries {
    private NativeLibraries() { }

    /**
     * The symbols of {@code native/lib<name>.so} from the class path.
     *
     * @throws IllegalStateException naming the cause and the fix when the library is missing or
     *                               cannot be loaded
     */
    public static SymbolLookup load(String name) {
        String resource = "native/lib" + name + ".so";
        String os = System.getProperty("os.name", "?");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            throw new IllegalStateException("lib" + name + " is built for Linux only; this is " + os);
        }
        URL url = NativeLibraries.class.getResource("/" + resource);   // not in a package: never encapsulated
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the class path. weft-native's Maven build compiles "
                    + "it from src/main/c with gcc into target/classes/native/: run ./weft test or "
                    + "mvn -pl weft-native -am package, with gcc installed.");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return SymbolLookup.libraryLookup(Path.of(url.toURI()), Arena.global());
            }
            Path copy = Files.createTempFile("lib" + name + "-", ".so");
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                return SymbolLookup.libraryLookup(copy, Arena.global());
            } finally {
                Files.deleteIfExists(copy);     // loaded (or failed): the mapping outlives the file
            }
        } catch (IOException | URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("could not load " + url + ": " + e.getMessage(), e);
        }
    }
}
