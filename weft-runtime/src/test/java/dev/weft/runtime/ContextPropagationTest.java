package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.TaskLocal;
import dev.weft.TaskScope;
import dev.weft.Weft;
import dev.weft.spi.ContextPropagator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What a task inherits (issue 17): through a ContextPropagator, and without one. */
class ContextPropagationTest {
    /** An MDC-like thread-bound value, as a logging library keeps it. */
    private static final ThreadLocal<String> MDC = new ThreadLocal<>();

    private static final ContextPropagator MDC_PROPAGATOR = new ContextPropagator() {
        @Override
        public Object capture() {
            return MDC.get();
        }

        @Override
        public Runnable install(Object captured) {
            String before = MDC.get();
            MDC.set((String) captured);
            return () -> MDC.set(before);
        }
    };

    @Test
    void aRegisteredPropagatorCarriesTheSpawnersContextIntoEveryKindOfTaskAndRestoresTheWorker() throws Exception {
        try (AutoCloseable reg = ContextPropagator.register(MDC_PROPAGATOR);
             Runtime rt = Runtimes.multiThreadBuilder().name("ctx").workers(2).build()) {
            List<String> seen = rt.run(() -> {
                MDC.set("request-7");
                String seq = Weft.spawn(MDC::get).join();
                String poll = Weft.spawnFuture((Future<String>) cx -> Poll.ready(MDC.get())).join();
                String inScope;
                try (TaskScope scope = TaskScope.open()) {
                    var child = scope.spawn(MDC::get);
                    scope.join();
                    inScope = child.join();
                }
                String inTimeout = Weft.timeout(Duration.ofSeconds(5), MDC::get);
                // a poll task that waits once: the worker polling it again has the value again,
                // and after each poll the worker's own value is back
                String later = Weft.spawnFuture(new Future<String>() {
                    boolean waited;

                    @Override
                    public Poll<String> poll(Context cx) {
                        if (!waited) {
                            waited = true;
                            cx.waker().wake();
                            return Poll.pending();
                        }
                        return Poll.ready(MDC.get());
                    }
                }).join();
                return List.of(seq, poll, inScope, inTimeout, later);
            });
            assertThat(seen).containsExactly("request-7", "request-7", "request-7", "request-7", "request-7");
        }
        // unregistered: tasks spawned now see nothing
        try (Runtime rt = Runtimes.multiThreadBuilder().name("ctx-off").workers(1).build()) {
            String seen = rt.run(() -> {
                MDC.set("request-8");
                return String.valueOf(Weft.spawnFuture((Future<String>) cx -> Poll.ready(MDC.get())).join());
            });
            assertThat(seen).isEqualTo("null");
        }
    }

    /** A worker that polled a task with a context has its own back afterwards: nothing leaks into the next task it polls. */
    @Test
    void aPollTaskLeavesTheWorkersOwnContextAsItWas() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("ctx-leak").workers(1).build()) {
            String inside;
            try (AutoCloseable reg = ContextPropagator.register(MDC_PROPAGATOR)) {
                inside = rt.run(() -> {
                    MDC.set("request-9");
                    return Weft.spawnFuture((Future<String>) cx -> Poll.ready(MDC.get())).join();   // on the one worker
                });
            }
            String after = rt.run(() -> String.valueOf(
                    Weft.spawnFuture((Future<String>) cx -> Poll.ready(MDC.get())).join()));        // same worker, no propagator
            assertThat(inside).isEqualTo("request-9");
            assertThat(after).as("the worker's own MDC after the propagated poll").isEqualTo("null");
        }
    }

    @Test
    void withoutAPropagatorInheritableThreadLocalsReachSequentialChildrenAndTaskLocalsAndScopedValuesDoNot() {
        InheritableThreadLocal<String> inheritable = new InheritableThreadLocal<>();
        TaskLocal<String> local = TaskLocal.withInitial(() -> "initial");
        ScopedValue<String> scoped = ScopedValue.newInstance();
        try (Runtime rt = Runtimes.multiThreadBuilder().name("ctx-none").workers(2).build()) {
            List<String> seen = rt.run(() -> {
                inheritable.set("inherited");
                local.set("parent's");
                return ScopedValue.where(scoped, "bound").call(() -> Weft.spawn(() -> List.of(
                        String.valueOf(inheritable.get()), local.get(), String.valueOf(scoped.isBound()))).join());
            });
            assertThat(seen).containsExactly("inherited", "initial", "false");
        }
    }

    @Test
    void aPropagatorThatThrowsIsReportedAndTheTaskRunsWithoutIt() throws Exception {
        ContextPropagator broken = new ContextPropagator() {
            @Override
            public Object capture() {
                throw new IllegalStateException("capture broke");
            }

            @Override
            public Runnable install(Object captured) {
                return () -> { };
            }
        };
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        try (AutoCloseable listener = dev.weft.spi.Faults.addListener(f -> reported.add(f.error()));
             AutoCloseable reg = ContextPropagator.register(broken);
             Runtime rt = Runtimes.currentThread("ctx-broken")) {
            assertThat(rt.run(() -> Weft.spawn(() -> 42).join())).isEqualTo(42);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (reported.stream().noneMatch(t -> "capture broke".equals(t.getMessage())) && System.nanoTime() < deadline) {
                Thread.sleep(5);                                  // faults reach listeners from a thread of their own
            }
        }
        assertThat(reported).anyMatch(t -> "capture broke".equals(t.getMessage()));
    }
}
