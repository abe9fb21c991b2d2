package dev.weft.internal;

import dev.weft.TaskFailedException;
import java.util.ArrayList;
import java.util.List;

/**
 * Failures that cross task boundaries, wrapped once: a {@link TaskFailedException} whose cause is
 * the exception the failing body threw, never another {@code TaskFailedException}, however many
 * joins, scopes and {@code Weft.run}s it passed through. Its message names the task (and the
 * scope) where it failed; its stack trace starts with the frames where the original exception was
 * thrown, followed by the frames where it was received (the join, the scope's close, the run), so
 * the first lines of a printed trace are the ones that matter.
 */
public final class Failures {
    private Failures() { }

    /** The exception a join of {@code task}, which failed with {@code failure}, throws here. */
    static TaskFailedException forJoin(TaskCore<?> task, Throwable failure) {
        if (failure instanceof TaskFailedException passed && passed.getCause() != null) {
            return rethrown(passed);             // a failure it received from a join or a scope: not wrapped again
        }
        return received(new TaskFailedException("task '" + task.name() + "' failed: " + failure, failure),
                failure.getStackTrace());
    }

    /** The scope's failure for a child that failed with {@code failure}. */
    static TaskFailedException forScope(TaskCore<?> child, ScopeState scope, Throwable failure) {
        Throwable original = failure instanceof TaskFailedException passed && passed.getCause() != null
                ? passed.getCause() : failure;
        String where = failure instanceof TaskFailedException passed && passed.getCause() != null
                ? passed.getMessage().replaceFirst(": .*$", "") + ", in"   // "task 'x' failed" from deeper down
                : "task '" + child.name() + "' failed in";
        TaskFailedException record = new TaskFailedException(where + " scope #" + scope.id() + " of "
                + scope.ownerDescription() + ", so its siblings were cancelled: " + original, original);
        StackTraceElement[] before = failure instanceof TaskFailedException passed ? passed.getStackTrace() : original.getStackTrace();
        List<StackTraceElement> frames = new ArrayList<>();
        addBodyFrames(before, frames);
        record.setStackTrace(frames.toArray(StackTraceElement[]::new));    // where it was thrown; receivers add their place
        return record;
    }

    /**
     * A copy of {@code passed} (same message, cause and suppressed failures) whose stack trace is
     * {@code passed}'s (the original's frames, then each place it was received, task by task)
     * followed by the caller's: thrown where a failure is received again.
     */
    static TaskFailedException rethrown(TaskFailedException passed) {
        TaskFailedException copy = new TaskFailedException(passed.getMessage(), passed.getCause());
        for (Throwable s : passed.getSuppressed()) {
            copy.addSuppressed(s);
        }
        return received(copy, passed.getStackTrace());
    }

    /**
     * The scope's own record, handed to its owner (once): its stack trace becomes the original's
     * frames followed by the owner's place. The same object, so failures of other children that
     * arrive later are still added to it as suppressed.
     */
    static TaskFailedException deliveredFromScope(TaskFailedException record) {
        return received(record, record.getStackTrace());
    }

    /** Sets {@code e}'s stack trace: {@code before} down to the task's entry, then where it is received now. */
    private static TaskFailedException received(TaskFailedException e, StackTraceElement[] before) {
        List<StackTraceElement> frames = new ArrayList<>();
        addBodyFrames(before, frames);
        for (StackTraceElement f : new Throwable().getStackTrace()) {
            if (!isInternal(f)) {
                frames.add(f);                   // where it is received, without Weft's own frames
            }
        }
        e.setStackTrace(frames.toArray(StackTraceElement[]::new));
        return e;
    }

    /** Adds {@code stack}'s frames above the task's entry (its start-up frames dropped), without Weft's own. */
    private static void addBodyFrames(StackTraceElement[] stack, List<StackTraceElement> frames) {
        for (StackTraceElement f : stack) {
            if (isTaskEntry(f)) {
                break;
            }
            if (!isInternal(f)) {
                frames.add(f);
            }
        }
    }

    private static boolean isTaskEntry(StackTraceElement f) {
        String c = f.getClassName();
        return c.equals(SeqTask.class.getName()) || c.equals(PollTask.class.getName()) || c.equals(BlockingTask.class.getName());
    }

    private static boolean isInternal(StackTraceElement f) {
        return f.getClassName().startsWith("dev.weft.internal.");
    }

    /**
     * Wakes {@code w} (if not null) from code that runs outside the scheduler loop (a completion
     * callback, a publisher's signal, a finishing task): a waker that throws is reported through
     * {@link dev.weft.spi.Faults} as {@code where}, never thrown at the caller.
     */
    public static void wakeGuarded(dev.weft.Waker w, String where) {
        if (w != null) {
            try {
                w.wake();
            } catch (Throwable t) {
                dev.weft.spi.Faults.report(where, w, t);
            }
        }
    }

    /**
     * Drops {@code stream} on a path that is already signalling something else (an error, a
     * terminal signal): a drop that throws is reported through {@link dev.weft.spi.Faults} as
     * {@code where}, so it never hides the error being passed on.
     */
    public static void dropQuietly(dev.weft.Stream<?> stream, String where) {
        try {
            stream.drop();
        } catch (Throwable t) {
            dev.weft.spi.Faults.report(where, stream, t);
        }
    }
}
