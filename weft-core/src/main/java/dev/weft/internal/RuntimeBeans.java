package dev.weft.internal;

import dev.weft.Task;
import dev.weft.spi.AbstractRuntime;
import dev.weft.spi.BlockingPool;
import dev.weft.spi.WeftRuntimeMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Keeps one {@link WeftRuntimeMXBean} registered per open runtime. Called by
 * {@link Housekeeping}'s thread every 50 ms: it does work only when {@link RuntimeRegistry}'s
 * version changed, so building a runtime never waits for JMX to start (~150 ms the first time).
 * Not thread-safe: only that thread calls {@link #sync()}.
 */
final class RuntimeBeans {
    private static final boolean ENABLED = !"false".equals(System.getProperty("weft.jmx"));
    private static final Map<Long, ObjectName> REGISTERED = new HashMap<>();
    private static int seenVersion = -1;

    private RuntimeBeans() { }

    static void sync() {
        int version = RuntimeRegistry.version();
        if (!ENABLED || version == seenVersion) {
            return;
        }
        seenVersion = version;
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<Long> open = new HashSet<>();
        for (AbstractRuntime r : RuntimeRegistry.open()) {
            open.add(r.id());
            if (REGISTERED.containsKey(r.id())) {
                continue;
            }
            try {
                ObjectName name = new ObjectName("dev.weft:type=Runtime,name=" + ObjectName.quote(r.name()));
                if (server.isRegistered(name)) {
                    name = new ObjectName("dev.weft:type=Runtime,name=" + ObjectName.quote(r.name() + "#" + r.id()));
                }
                server.registerMBean(new Bean(r), name);
                REGISTERED.put(r.id(), name);
            } catch (Exception | LinkageError e) {
                dev.weft.spi.Faults.report("registering the JMX bean of runtime '" + r.name() + "'", r, e);
            }
        }
        REGISTERED.entrySet().removeIf(e -> {
            if (open.contains(e.getKey())) {
                return false;
            }
            try {
                server.unregisterMBean(e.getValue());
            } catch (Exception ignored) {
                // already gone
            }
            return true;
        });
    }

    /** The bean of one runtime; holds it weakly, so a dropped runtime is not kept alive by JMX. */
    static final class Bean implements WeftRuntimeMXBean {
        private final WeakReference<AbstractRuntime> runtime;
        private final String name;
        private final long id;

        Bean(AbstractRuntime r) {
            this.runtime = new WeakReference<>(r);
            this.name = r.name();
            this.id = r.id();
        }

        private AbstractRuntime rt() {
            AbstractRuntime r = runtime.get();
            if (r == null) {
                throw new IllegalStateException("runtime '" + name + "' #" + id + " is gone");
            }
            return r;
        }

        private int count(Task.State state) {
            int n = 0;
            for (Task<?> t : RuntimeInternals.liveTasks(rt())) {
                if (t.state() == state) {
                    n++;
                }
            }
            return n;
        }

        @Override public String getName() { return name; }
        @Override public long getId() { return id; }
        @Override public String getDescription() { return rt().describe(); }
        @Override public boolean isClosed() { return rt().isClosed(); }
        @Override public int getLiveTasks() { return rt().liveTaskCount(); }
        @Override public int getScheduledTasks() { return count(Task.State.SCHEDULED); }
        @Override public int getRunningTasks() { return count(Task.State.RUNNING); }
        @Override public int getIdleTasks() { return count(Task.State.IDLE); }
        @Override public int getWorkers() { return rt().schedulerStats().workers(); }
        @Override public long getTaskRuns() { return rt().schedulerStats().taskRuns(); }
        @Override public long getSteals() { return rt().schedulerStats().steals(); }
        @Override public long getParks() { return rt().schedulerStats().parks(); }
        @Override public int getQueuedTasks() { return rt().schedulerStats().queued(); }

        @Override
        public int getBlockingPoolThreads() {
            BlockingPool p = rt().blockingPoolIfStarted();
            return p == null ? 0 : p.threads();
        }

        @Override
        public int getBlockingPoolQueued() {
            BlockingPool p = rt().blockingPoolIfStarted();
            return p == null ? 0 : p.queued();
        }

        @Override public String getDrivers() { return rt().driverNames(); }
        @Override public String dumpTasks() { return TaskDump.take().toText(false); }
        @Override public String dumpTasksJson() { return TaskDump.take().toJson(false); }
    }
}
