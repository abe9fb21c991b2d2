package dev.weft.console;

import dev.weft.Weft;
import java.lang.management.ManagementFactory;

/**
 * What the console serves: the task dump and the runtimes' MXBean attributes, as JSON. The live
 * source reads this process; tests give the console a fixed one to check how the page shows
 * fields the core may not produce yet. Called on the console's handler threads, concurrently.
 */
interface ConsoleData {
    /** The process's task dump, shaped like {@link Weft#dumpJson()}. */
    String dumpJson(boolean fullStacks);

    /** A JSON array: one object per runtime MXBean, see {@link RuntimeBeansJson}. */
    String runtimesJson();

    /** This process's runtimes: {@link Weft#dumpJson(Weft.Stacks)} and the platform MBean server. */
    static ConsoleData live() {
        return new ConsoleData() {
            @Override
            public String dumpJson(boolean fullStacks) {
                return Weft.dumpJson(fullStacks ? Weft.Stacks.FULL : Weft.Stacks.TRIMMED);
            }

            @Override
            public String runtimesJson() {
                return RuntimeBeansJson.of(ManagementFactory.getPlatformMBeanServer());
            }
        };
    }
}
