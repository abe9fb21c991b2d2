package dev.weft.internal;

/**
 * The diagnostics' background work, on one daemon thread ({@code weft-housekeeping}) started with
 * the first runtime, so that no caller and no worker pays for it: the diagnostics agents
 * ({@code -Dweft.console}), the periodic JFR event, the runtimes' JMX beans (every
 * {@value #PERIOD_MILLIS} ms, when a runtime opened or closed; starting JMX costs ~150 ms), the
 * lint scan (every second) and {@code -Dweft.dumpOnExit}'s shutdown hook.
 */
final class Housekeeping {
    static final int PERIOD_MILLIS = 50;

    private Housekeeping() { }

    static void start() {
        DumpOnExit.install();
        Thread.ofPlatform().name("weft-housekeeping").daemon().start(Housekeeping::run);
    }

    private static void run() {
        startAgents();
        try {
            WeftEvents.init();
        } catch (Throwable t) {
            dev.weft.spi.Faults.report("registering Weft's periodic JFR event", null, t);
        }
        long lastScan = System.nanoTime();
        for (;;) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                // nobody should interrupt it; go on
            }
            try {
                WeftEvents.commitLongPolls();
            } catch (Throwable t) {
                dev.weft.spi.Faults.report("weft-housekeeping (JFR long polls)", null, t);
            }
            try {
                RuntimeBeans.sync();    // JMX beans of runtimes opened or closed since the last look
            } catch (Throwable t) {
                dev.weft.spi.Faults.report("weft-housekeeping (JMX beans)", null, t);
            }
            if (System.nanoTime() - lastScan >= 1_000_000_000L) {
                lastScan = System.nanoTime();
                try {
                    Lints.scan();       // once a second: log each new lint once, emit its JFR event
                } catch (Throwable t) {
                    dev.weft.spi.Faults.report("weft-housekeeping (lint scan)", null, t);
                }
            }
        }
    }

    /** Starts each {@link dev.weft.spi.DiagnosticsAgent} whose property is set (the console's {@code weft.console}). */
    private static void startAgents() {
        boolean consoleAsked = System.getProperty("weft.console") != null;
        boolean consoleFound = false;
        try {
            for (dev.weft.spi.DiagnosticsAgent agent : java.util.ServiceLoader.load(dev.weft.spi.DiagnosticsAgent.class,
                    Housekeeping.class.getClassLoader())) {
                String value = System.getProperty(agent.property());
                if (value == null) {
                    continue;
                }
                consoleFound |= agent.property().equals("weft.console");
                try {
                    agent.start(value);
                } catch (Throwable t) {
                    dev.weft.spi.Faults.report("diagnostics agent for -D" + agent.property() + "=" + value, agent, t);
                }
            }
        } catch (Throwable t) {
            dev.weft.spi.Faults.report("loading the diagnostics agents", null, t);
        }
        if (consoleAsked && !consoleFound) {
            System.err.println("weft: -Dweft.console is set, but the console module (dev.weft:weft-console) is not on the "
                    + "class or module path: add it, or start it in code with WeftConsole.start(port).");
        }
    }

}
