package dev.weft.internal;

import dev.weft.Task;
import dev.weft.spi.AbstractRuntime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A snapshot of every live task of every open runtime in the process, rendered as text
 * ({@link #toText}) or as JSON in the shape of the JDK's {@code jcmd <pid> Thread.dump_to_file
 * -format=json} ({@link #toJson}). Taken by {@code Weft.dump}, the runtimes' MXBean and
 * {@code -Dweft.dumpOnExit}.
 *
 * <h2>Implementation notes</h2>
 * The snapshot reads each task's diagnostic fields without synchronization (they are plain or
 * opaque writes by the task's own thread): a field may be a moment stale, never torn in a way
 * that matters (ints and references). A sequential task's stack comes from
 * {@link Thread#getStackTrace()} (for an unmounted virtual thread, its frozen continuation; for a
 * mounted one, a handshake with its carrier), and what it waits on from
 * {@link LockSupport#getBlocker}: Weft's await parks with the awaited future as the blocker. A
 * poll task's description is its future's {@code toString}: each combinator and resource future
 * names itself and what it wraps. User {@code toString} code runs here, guarded: one that throws
 * is shown as such.
 */
public final class TaskDump {
    /** Frames kept for a trimmed stack at most (the full stack is on request). */
    private static final int MAX_TRIMMED_FRAMES = 12;
    private static final int MAX_DESCRIPTION = 400;
    private static final Map<String, Boolean> LIBRARY_CLASS = new ConcurrentHashMap<>();

    private final Instant time;
    private final int now;
    private final List<RuntimeInfo> runtimes;

    private TaskDump(Instant time, int now, List<RuntimeInfo> runtimes) {
        this.time = time;
        this.now = now;
        this.runtimes = runtimes;
    }

    /** Takes a snapshot of every open runtime's live tasks. */
    public static TaskDump take() {
        Instant time = Instant.now();
        int now = CoarseClock.preciseNow();
        List<RuntimeInfo> rs = new ArrayList<>();
        for (AbstractRuntime r : RuntimeRegistry.open()) {
            rs.add(snapshot(r, now));
        }
        return new TaskDump(time, now, rs);
    }

    // ------------------------------------------------------------------ snapshot

    /** One task's facts at the time of the dump. */
    public record TaskInfo(long id, String name, Task.Kind kind, Task.State state, int stateSince, int created,
                           boolean cancelled, boolean shielded, long polls, long wakes, String spawnSite,
                           long scopeId, String where, String waitingOn, String threadName,
                           Thread.State threadState, StackTraceElement[] stack,
                           long busyMillis, long scheduledMillis, long idleMillis, long selfWakes,
                           int lastWake, List<Lints.Found> lints) { }

    /** One scope of a runtime: who opened it and its children still running. */
    public record ScopeInfo(long id, String owner, long ownerId, long parentScopeId, boolean failed, boolean closed) { }

    /** One runtime: its description, scopes and tasks. */
    public record RuntimeInfo(long id, String name, String description, List<ScopeInfo> scopes, List<TaskInfo> tasks) { }

    /** The runtimes in this dump, oldest first. */
    public List<RuntimeInfo> runtimes() {
        return runtimes;
    }

    private static RuntimeInfo snapshot(AbstractRuntime r, int now) {
        List<Task<?>> live = RuntimeInternals.liveTasks(r);
        live.sort(Comparator.comparingLong(Task::id));
        List<TaskInfo> tasks = new ArrayList<>();
        Map<Long, ScopeInfo> scopes = new LinkedHashMap<>();
        for (Task<?> t : live) {
            TaskCore<?> task = (TaskCore<?>) t;
            tasks.add(describe(task, now));
            ScopeState s = task.scope;
            if (s != null && !scopes.containsKey(s.id())) {
                TaskCore<?> owner = s.owner();
                long parent = owner != null && owner.scope != null ? owner.scope.id() : 0;
                scopes.put(s.id(), new ScopeInfo(s.id(), s.ownerDescription(), owner == null ? 0 : owner.id(), parent,
                        s.isFailed(), s.isClosed()));
            }
        }
        String description;
        try {
            description = r.describe();
        } catch (Throwable e) {
            description = r.getClass().getSimpleName() + " (describe() threw " + e + ")";
        }
        return new RuntimeInfo(r.id(), r.name(), description, new ArrayList<>(scopes.values()), tasks);
    }

    private static TaskInfo describe(TaskCore<?> task, int now) {
        Task.State state = task.state();
        String where;
        String waitingOn = null;
        Thread thread = task.thread();
        StackTraceElement[] stack = new StackTraceElement[0];
        Thread.State threadState = null;
        boolean shielded = false;
        if (task instanceof PollTask<?> p) {
            waitingOn = describe(p.future());
            where = switch (state) {
                case RUNNING -> "being polled";
                case SCHEDULED -> "woken, waiting for a worker";
                case IDLE -> "pending";
                case DONE -> "done";
            };
        } else if (thread != null) {
            stack = thread.getStackTrace();
            threadState = thread.getState();
            Object blocker = LockSupport.getBlocker(thread);
            if (task instanceof SeqTask<?> seq) {
                shielded = seq.shielded();
            }
            where = whereIs(task, state, threadState, stack);
            if (blocker != null) {
                waitingOn = describe(blocker);      // Weft's await parks with the awaited future as blocker
            }
        } else {
            where = state == Task.State.SCHEDULED ? "not started yet" : state.name().toLowerCase(Locale.ROOT);
            if (task instanceof SeqTask<?> seq) {
                where = "not started yet (" + describe(seq.body()) + ")";
            }
        }
        ScopeState scope = task.scope;
        int since = task.stateSince;
        long inState = Math.max(0, CoarseClock.now() - since);     // the current state's share, not summed yet
        long busy = task.busyMs + (state == Task.State.RUNNING ? inState : 0);
        long scheduled = task.scheduledMs + (state == Task.State.SCHEDULED ? inState : 0);
        long idle = task.idleMs + (state == Task.State.IDLE ? inState : 0);
        return new TaskInfo(task.id(), task.name(), task.kind(), state, since, task.created,
                task.isCancelled(), shielded, task.polls(), task.wakes(),
                task.spawnSite().map(StackTraceElement::toString).orElse(null),
                scope == null ? 0 : scope.id(), where, waitingOn,
                thread == null ? null : thread.toString(), threadState, stack,
                busy, scheduled, idle, task.selfWakes, task.lastWake, Lints.of(task, CoarseClock.now()));
    }

    /** Where a task with a thread is: parked in Weft's await, blocked in a JDK call, or running. */
    private static String whereIs(TaskCore<?> task, Task.State state, Thread.State ts, StackTraceElement[] stack) {
        if (ts == Thread.State.NEW) {
            return "not started yet";
        }
        int user = firstUserFrame(stack);
        boolean inAwait = false;
        for (int i = 0; i < (user < 0 ? stack.length : user); i++) {
            if (stack[i].getClassName().equals(Await.class.getName())) {
                inAwait = true;
                break;
            }
        }
        boolean waiting = ts == Thread.State.WAITING || ts == Thread.State.TIMED_WAITING || ts == Thread.State.BLOCKED;
        if (inAwait && waiting) {
            return "parked in Weft";
        }
        if (waiting) {
            StackTraceElement call = user > 0 ? stack[user - 1] : stack.length > 0 ? stack[0] : null;
            return "blocked in a JDK call" + (call == null ? "" : " (" + call.getClassName() + "." + call.getMethodName() + ")")
                    + (ts == Thread.State.BLOCKED ? ", waiting for a monitor" : "")
                    + " (no Weft waker resumes it)";
        }
        if (task.kind() == Task.Kind.BLOCKING) {
            return "running on the blocking pool";
        }
        return state == Task.State.RUNNING ? "running (mounted on a carrier)" : "runnable, waiting for a carrier";
    }

    // ------------------------------------------------------------------ descriptions

    /**
     * A future's or a resource's own description: its {@code toString} if its class has one, else
     * a short name ({@code lambda in Foo} for a lambda). Guarded and shortened: user code runs here.
     */
    public static String describe(Object o) {
        if (o == null) {
            return "null";
        }
        Class<?> c = o.getClass();
        String s;
        try {
            if (c.getMethod("toString").getDeclaringClass() != Object.class) {
                s = String.valueOf(o.toString());
            } else {
                s = shortName(c);
            }
        } catch (Throwable e) {
            s = shortName(c) + " (toString threw " + e.getClass().getSimpleName() + ")";
        }
        return s.length() > MAX_DESCRIPTION ? s.substring(0, MAX_DESCRIPTION) + "…" : s;
    }

    private static String shortName(Class<?> c) {
        String n = c.getName();
        int lambda = n.indexOf("$$Lambda");
        if (lambda > 0) {
            String host = n.substring(0, lambda);
            return "lambda in " + host.substring(host.lastIndexOf('.') + 1);
        }
        String simple = c.getSimpleName();
        return simple.isEmpty() ? n.substring(n.lastIndexOf('.') + 1) : simple;
    }

    // ------------------------------------------------------------------ stacks

    /** Index of the first (top-most) frame outside Weft and the JDK, or -1. */
    static int firstUserFrame(StackTraceElement[] stack) {
        for (int i = 0; i < stack.length; i++) {
            if (!isLibraryFrame(stack[i])) {
                return i;
            }
        }
        return -1;
    }

    /** True for a JDK frame and for a frame of a registered Weft library ({@link Diagnostics#registerLibrary}). */
    static boolean isLibraryFrame(StackTraceElement f) {
        String module = f.getModuleName();
        if (module != null && (module.startsWith("java.") || module.startsWith("jdk."))) {
            return true;
        }
        String cn = f.getClassName();
        if (cn.startsWith("java.") || cn.startsWith("jdk.") || cn.startsWith("sun.") || cn.startsWith("com.sun.")) {
            return true;
        }
        // Weft or another registered library: look the class up by its code source (cached).
        return LIBRARY_CLASS.computeIfAbsent(cn, TaskDump::loadsFromLibrary);
    }

    private static boolean loadsFromLibrary(String className) {
        for (ClassLoader l : new ClassLoader[] {Thread.currentThread().getContextClassLoader(),
                TaskDump.class.getClassLoader(), ClassLoader.getSystemClassLoader()}) {
            if (l == null) {
                continue;
            }
            try {
                return Diagnostics.isLibrary(Class.forName(className, false, l));
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return false;
    }

    /**
     * The stack as a reader wants it: the user's frames, each run of Weft and JDK frames above a
     * user frame shown as its last frame (the call the user made) with a count of the frames
     * left out, and the frames below the outermost user frame (thread start-up) dropped. A stack
     * with no user frame is kept whole (up to a limit).
     */
    static List<String> trimmed(StackTraceElement[] stack) {
        List<String> out = new ArrayList<>();
        if (firstUserFrame(stack) < 0) {
            for (int i = 0; i < Math.min(stack.length, MAX_TRIMMED_FRAMES); i++) {
                out.add(stack[i].toString());
            }
            if (stack.length > MAX_TRIMMED_FRAMES) {
                out.add("... " + (stack.length - MAX_TRIMMED_FRAMES) + " more");
            }
            return out;
        }
        int lastUser = stack.length - 1;
        while (isLibraryFrame(stack[lastUser])) {
            lastUser--;
        }
        int hidden = 0;
        for (int i = 0; i <= lastUser; i++) {
            if (isLibraryFrame(stack[i]) && !(i + 1 <= lastUser && !isLibraryFrame(stack[i + 1]))) {
                hidden++;
                continue;
            }
            if (hidden > 0 && !out.isEmpty()) {     // the run above the first kept frame is just left out
                out.add("... " + hidden + " Weft/JDK frame" + (hidden == 1 ? "" : "s"));
            }
            hidden = 0;
            out.add(stack[i].toString());
            if (out.size() >= MAX_TRIMMED_FRAMES) {
                out.add("... " + (lastUser - i) + " more");
                break;
            }
        }
        return out;
    }

    private static List<String> stackLines(StackTraceElement[] stack, boolean full) {
        if (!full) {
            return trimmed(stack);
        }
        List<String> out = new ArrayList<>(stack.length);
        for (StackTraceElement e : stack) {
            out.add(e.toString());
        }
        return out;
    }

    // ------------------------------------------------------------------ text

    /** The dump as text: per runtime, its tasks outside scopes, then each scope and its children. */
    public String toText(boolean fullStacks) {
        StringBuilder sb = new StringBuilder();
        int total = runtimes.stream().mapToInt(r -> r.tasks().size()).sum();
        sb.append("Weft task dump, ").append(time).append(", pid ").append(ProcessHandle.current().pid())
                .append(", Java ").append(Runtime.version()).append(": ").append(runtimes.size())
                .append(runtimes.size() == 1 ? " runtime, " : " runtimes, ").append(total)
                .append(total == 1 ? " live task" : " live tasks").append('\n');
        for (RuntimeInfo r : runtimes) {
            sb.append('\n').append("runtime '").append(r.name()).append("' #").append(r.id()).append(" (")
                    .append(r.description()).append("): ").append(r.tasks().size())
                    .append(r.tasks().size() == 1 ? " live task" : " live tasks").append('\n');
            for (TaskInfo t : r.tasks()) {
                if (t.scopeId() == 0) {
                    appendTask(sb, t, "  ", fullStacks);
                }
            }
            for (ScopeInfo s : r.scopes()) {
                List<TaskInfo> children = r.tasks().stream().filter(t -> t.scopeId() == s.id()).toList();
                sb.append("  scope #").append(s.id()).append(", opened by ").append(s.owner())
                        .append(s.parentScopeId() != 0 ? " (in scope #" + s.parentScopeId() + ")" : "")
                        .append(s.failed() ? ", FAILED (siblings cancelled)" : "")
                        .append(s.closed() ? ", closing" : "")
                        .append(": ").append(children.size()).append(children.size() == 1 ? " child" : " children")
                        .append(" running\n");
                for (TaskInfo t : children) {
                    appendTask(sb, t, "    ", fullStacks);
                }
            }
        }
        return sb.toString();
    }

    private void appendTask(StringBuilder sb, TaskInfo t, String indent, boolean fullStacks) {
        sb.append(indent).append('#').append(t.id()).append(" '").append(t.name()).append("' ")
                .append(t.kind().name().toLowerCase(Locale.ROOT)).append(' ').append(t.state())
                .append(" for ").append(duration(now - t.stateSince()));
        if (t.cancelled()) {
            sb.append(", CANCELLED");
        }
        if (t.shielded()) {
            sb.append(", SHIELDED (cancellation deferred)");
        }
        sb.append(" (").append(count(t.polls(), t.kind() == Task.Kind.POLL ? "poll" : "run")).append(", ")
                .append(count(t.wakes(), "wake"));
        if (t.wakes() > 0 && t.lastWake() != 0) {
            sb.append(" (last ").append(duration(now - t.lastWake())).append(" ago)");
        }
        sb.append(", busy ").append(duration((int) t.busyMillis()))
                .append(", age ").append(duration(now - t.created()));
        if (t.spawnSite() != null) {
            sb.append(", spawned at ").append(t.spawnSite());
        }
        sb.append(")\n");
        String more = indent + "    ";
        for (Lints.Found f : t.lints()) {
            sb.append(more).append("LINT ").append(f.lint()).append(": ").append(f.message()).append('\n');
        }
        sb.append(more).append(t.where());
        if (t.waitingOn() != null) {
            sb.append(t.kind() == Task.Kind.POLL ? ": " : ", on ").append(t.waitingOn());
        }
        sb.append('\n');
        for (String line : stackLines(t.stack(), fullStacks)) {
            sb.append(more).append(line.startsWith("...") ? "" : "at ").append(line).append('\n');
        }
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A duration in nanoseconds, for descriptions: {@code 250 µs}, {@code 42 ms}, {@code 3.2 s}. */
    public static String millis(long nanos) {
        if (nanos < 1_000_000) {
            return (nanos / 1000) + " µs";
        }
        return duration((int) Math.min(Integer.MAX_VALUE, nanos / 1_000_000));
    }

    /** A duration in milliseconds as people read it: 850 ms, 3.2 s, 4 min 10 s. */
    static String duration(int millis) {
        long ms = Math.max(0, millis);
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    // ------------------------------------------------------------------ JSON

    /**
     * The dump as JSON, in the shape of the JDK's JSON thread dump: a {@code threadDump} object
     * with {@code processId}, {@code time}, {@code runtimeVersion} and {@code threadContainers},
     * one container per runtime and per scope ({@code parent} the runtime or the enclosing scope,
     * {@code owner} the opening task's id), each with {@code threads} ({@code tid} = task id,
     * {@code name}, {@code state}, {@code stack}) and {@code threadCount}; Weft's own fields are in
     * a {@code weft} object on the container and on each task.
     */
    public String toJson(boolean fullStacks) {
        Json j = new Json();
        j.open('{').key("threadDump").open('{');
        j.key("processId").str(Long.toString(ProcessHandle.current().pid()));
        j.key("time").str(time.toString());
        j.key("runtimeVersion").str(Runtime.version().toString());
        j.key("threadContainers").open('[');
        for (RuntimeInfo r : runtimes) {
            String runtimeContainer = "weft runtime '" + r.name() + "' #" + r.id();
            List<TaskInfo> top = r.tasks().stream().filter(t -> t.scopeId() == 0).toList();
            j.open('{');
            j.key("container").str(runtimeContainer);
            j.key("parent").str("<root>");
            j.key("owner").nul();
            appendThreads(j, top, fullStacks);
            j.key("weft").open('{').key("kind").str("runtime").key("runtimeId").num(r.id()).key("name").str(r.name())
                    .key("description").str(r.description()).key("liveTasks").num(r.tasks().size()).close('}');
            j.close('}');
            for (ScopeInfo s : r.scopes()) {
                List<TaskInfo> children = r.tasks().stream().filter(t -> t.scopeId() == s.id()).toList();
                j.open('{');
                j.key("container").str("weft scope #" + s.id());
                j.key("parent").str(s.parentScopeId() != 0 ? "weft scope #" + s.parentScopeId() : runtimeContainer);
                if (s.ownerId() != 0) {
                    j.key("owner").str(Long.toString(s.ownerId()));
                } else {
                    j.key("owner").nul();
                }
                appendThreads(j, children, fullStacks);
                j.key("weft").open('{').key("kind").str("scope").key("scopeId").num(s.id()).key("runtimeId").num(r.id())
                        .key("openedBy").str(s.owner()).key("failed").bool(s.failed()).key("closing").bool(s.closed())
                        .close('}');
                j.close('}');
            }
        }
        j.close(']');
        j.close('}').close('}');
        return j.toString();
    }

    private void appendThreads(Json j, List<TaskInfo> tasks, boolean fullStacks) {
        j.key("threads").open('[');
        for (TaskInfo t : tasks) {
            j.open('{');
            j.key("tid").str(Long.toString(t.id()));
            j.key("name").str(t.name());
            j.key("state").str(t.state().name());
            j.key("stack").open('[');
            for (String line : stackLines(t.stack(), fullStacks)) {
                j.str(line);
            }
            j.close(']');
            j.key("weft").open('{');
            j.key("kind").str(t.kind().name());
            j.key("stateForMillis").num(Math.max(0, now - t.stateSince()));
            j.key("ageMillis").num(Math.max(0, now - t.created()));
            j.key("where").str(t.where());
            if (t.waitingOn() != null) {
                j.key(t.kind() == Task.Kind.POLL ? "future" : "waitingOn").str(t.waitingOn());
            }
            j.key("cancelled").bool(t.cancelled());
            j.key("shielded").bool(t.shielded());
            j.key("polls").num(t.polls());
            j.key("wakes").num(t.wakes());
            j.key("selfWakes").num(t.selfWakes());
            j.key("busyMillis").num(t.busyMillis());
            j.key("scheduledMillis").num(t.scheduledMillis());
            j.key("idleMillis").num(t.idleMillis());
            if (t.wakes() > 0 && t.lastWake() != 0) {
                j.key("lastWakeMillisAgo").num(Math.max(0, now - t.lastWake()));
            }
            j.key("lints").open('[');
            for (Lints.Found f : t.lints()) {
                j.open('{').key("lint").str(f.lint().name()).key("message").str(f.message()).close('}');
            }
            j.close(']');
            if (t.spawnSite() != null) {
                j.key("spawnSite").str(t.spawnSite());
            }
            if (t.scopeId() != 0) {
                j.key("scopeId").num(t.scopeId());
            }
            if (t.threadName() != null) {
                j.key("thread").str(t.threadName());
                j.key("threadState").str(String.valueOf(t.threadState()));
            }
            j.close('}');
            j.close('}');
        }
        j.close(']');
        j.key("threadCount").str(Integer.toString(tasks.size()));
    }

    /** A minimal JSON writer (weft-core has no dependencies): commas and escaping, nothing more. */
    private static final class Json {
        private final StringBuilder sb = new StringBuilder();
        private boolean needComma;

        Json open(char c) {
            comma();
            sb.append(c);
            needComma = false;
            return this;
        }

        Json close(char c) {
            sb.append(c);
            needComma = true;
            return this;
        }

        Json key(String k) {
            comma();
            quote(k);
            sb.append(':');
            needComma = false;
            return this;
        }

        Json str(String v) {
            comma();
            quote(v);
            needComma = true;
            return this;
        }

        Json num(long v) {
            comma();
            sb.append(v);
            needComma = true;
            return this;
        }

        Json bool(boolean v) {
            comma();
            sb.append(v);
            needComma = true;
            return this;
        }

        Json nul() {
            comma();
            sb.append("null");
            needComma = true;
            return this;
        }

        private void comma() {
            if (needComma) {
                sb.append(',');
            }
        }

        private void quote(String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
