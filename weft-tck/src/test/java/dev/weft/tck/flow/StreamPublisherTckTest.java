package dev.weft.tck.flow;

import dev.weft.Runtime;
import dev.weft.Stream;
import dev.weft.runtime.Runtimes;
import java.util.concurrent.Flow;
import java.util.stream.LongStream;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK's publisher rules for {@code Stream.toPublisher(runtime)} (issue 17).
 * The publisher is a stream of {@code elements} numbers read by a poll task of a two-worker
 * runtime; the subscribers are the TCK's, calling from its own threads. The failed publisher is
 * one whose runtime is closed: it cannot start its task, so a subscriber gets {@code onSubscribe}
 * then {@code onError}. Skipped by the TCK here: the {@code untested_*} rules (the TCK has no
 * test for them) and {@code optional_spec111_*} (multi-subscribe: a stream is read once, so a
 * second subscriber is refused with {@code onError}, which rule 1.11 allows).
 */
public class StreamPublisherTckTest extends FlowPublisherVerification<Long> {
    private Runtime runtime;
    private Runtime closed;

    public StreamPublisherTckTest() {
        super(new TestEnvironment(FlowTck.TIMEOUT_MILLIS, FlowTck.NO_SIGNAL_MILLIS), FlowTck.GC_TIMEOUT_MILLIS);
    }

    @BeforeClass
    public void startRuntimes() {
        runtime = Runtimes.multiThreadBuilder().name("flow-tck-publisher").workers(2).build();
        closed = Runtimes.currentThread("flow-tck-closed");
        closed.close();
    }

    @AfterClass(alwaysRun = true)
    public void closeRuntime() {
        runtime.close();
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return numbers(elements).toPublisher(runtime);
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return numbers(10).toPublisher(closed);
    }

    private static Stream<Long> numbers(long n) {
        return Stream.fromIterable(() -> LongStream.range(0, n).boxed().iterator());
    }
}
