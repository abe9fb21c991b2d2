package dev.weft.io.internal.nio;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * weft-stress's way into the NIO driver's package-private test hooks (same package, on the class
 * path of the jcstress harness only). Nothing here changes what the driver does.
 */
public final class NioStressHooks {
    private NioStressHooks() { }

    /** A real {@link NioDriver} over {@code selector} (the tests pass one that records). */
    public static NioDriver driver(Selector selector) {
        return new NioDriver("stress", selector);
    }

    /** What the driver thread does when a select reports {@code key}: {@link Registration#ready}. */
    public static void ready(Registration r, SelectionKey key, boolean idle) {
        r.ready(key, idle);
    }
}
