package dev.weft.console;

import java.time.Duration;

/** Polls a condition: the runtimes' MXBeans register on a background thread, a page refreshes each second. */
public final class Eventually {
    /** A check that may throw (HTTP, JMX); false or an exception means "not yet". */
    @FunctionalInterface
    public interface Check {
        boolean holds() throws Exception;
    }

    private Eventually() { }

    /** Waits up to {@code within} for {@code check}; fails naming {@code what} and the last exception seen. */
    public static void await(Duration within, String what, Check check) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Exception last = null;
        for (;;) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError e = new AssertionError("not within " + within.toSeconds() + " s: " + what);
                if (last != null) {
                    e.initCause(last);
                }
                throw e;
            }
            Thread.sleep(20);
        }
    }
}
