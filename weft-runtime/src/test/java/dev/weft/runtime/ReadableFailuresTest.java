package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.TaskScope;
import dev.weft.Weft;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A failure that crosses task boundaries is wrapped once: one {@link TaskFailedException} whose
 * cause is the exception the body threw, a message naming the task (and scope), and a stack
 * trace that starts where the original was thrown, then each place it was received.
 */
class ReadableFailuresTest {

    @Test
    void aScopeFailureInsideWeftRunIsWrappedOnceAndNamesTheTaskAndTheScope() {
        TaskFailedException e = catchThrowableOfType(TaskFailedException.class, () -> Weft.run(() -> {
            try (TaskScope scope = TaskScope.open()) {
                scope.spawn("fetch-left", () -> {
                    throw new IllegalStateException("boom");
                });
                scope.spawn("fetch-right", () -> Weft.sleep(Duration.ofSeconds(30)));
                scope.join();
            }
        }));

        assertThat(e.getCause()).isExactlyInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(e.getMessage()).matches("task 'fetch-left' failed in scope #\\d+ of sequential task 'main' #\\d+, "
                + "so its siblings were cancelled: java.lang.IllegalStateException: boom");
        StackTraceElement[] stack = e.getStackTrace();
        assertThat(stack[0].getClassName()).isEqualTo(getClass().getName());
        assertThat(stack[0].getMethodName()).as("the original throw site comes first").startsWith("lambda$");
        assertThat(Arrays.stream(stack).map(StackTraceElement::getMethodName))
                .as("then where the scope was joined, then where Weft.run was called")
                .contains("join", "aScopeFailureInsideWeftRunIsWrappedOnceAndNamesTheTaskAndTheScope");
        assertThat(Arrays.stream(stack).map(StackTraceElement::getClassName))
                .as("no Weft internals between the places").noneMatch(c -> c.startsWith("dev.weft.internal."));
    }

    @Test
    void joinsThroughThreeTasksWrapOnceAndKeepEachJoinSite() throws Exception {
        try (var rt = Runtimes.multiThreadBuilder().name("chain").workers(2).build()) {
            Task<Object> outer = rt.spawn("outer", () -> rt.spawn("middle", () -> rt.spawn("inner", () -> {
                throw new IOException("disk gone");
            }).join()).join());

            TaskFailedException e = catchThrowableOfType(TaskFailedException.class, outer::join);

            assertThat(e.getCause()).isExactlyInstanceOf(IOException.class).hasMessage("disk gone");
            assertThat(e.getCause().getCause()).isNull();
            assertThat(e.getMessage()).isEqualTo("task 'inner' failed: java.io.IOException: disk gone");
            long lambdaFrames = Arrays.stream(e.getStackTrace()).filter(f -> f.getClassName().equals(getClass().getName())
                    && f.getMethodName().startsWith("lambda$")).count();
            assertThat(lambdaFrames).as("the throw site, then the joins in 'middle' and 'outer'").isEqualTo(3);
            assertThat(e.getStackTrace()[0].getMethodName()).startsWith("lambda$");
            assertThat(e.getStackTrace()[e.getStackTrace().length - 1].getClassName())
                    .as("ends where this test joined").doesNotStartWith("dev.weft.internal.");
        }
    }

    @Test
    void aFailureFromAJoinInsideAScopeChildIsNotWrappedTwice() {
        TaskFailedException e = catchThrowableOfType(TaskFailedException.class, () -> Weft.run(() -> {
            try (TaskScope scope = TaskScope.open()) {
                scope.spawn("parent", () -> Weft.spawn("child", () -> {
                    throw new ArithmeticException("divide by zero");
                }).join());
                scope.join();
            }
        }));

        assertThat(e.getCause()).isExactlyInstanceOf(ArithmeticException.class);
        assertThat(e.getMessage()).startsWith("task 'child' failed, in scope #").contains("so its siblings were cancelled")
                .endsWith("java.lang.ArithmeticException: divide by zero");
    }
}
