package dev.weft.tck.flow;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK's subscriber rules (blackbox) for {@code Stream.fromPublisher}: its
 * subscriber is internal and asks for items as the stream is read, so the TCK sees it from the
 * outside only. Skipped by the TCK here: the {@code untested_*} rules.
 */
public class StreamSubscriberTckTest extends FlowSubscriberBlackboxVerification<Long> {
    private Runtime runtime;

    public StreamSubscriberTckTest() {
        super(new TestEnvironment(FlowTck.TIMEOUT_MILLIS, FlowTck.NO_SIGNAL_MILLIS));
    }

    @BeforeClass
    public void startRuntime() {
        runtime = Runtimes.multiThreadBuilder().name("flow-tck-stream").workers(2).build();
    }

    @AfterClass(alwaysRun = true)
    public void closeRuntime() {
        runtime.close();
    }

    @Override
    public Flow.Subscriber<Long> createFlowSubscriber() {
        return FlowTck.streamSubscriber(runtime);
    }

    @Override
    public Long createElement(int element) {
        return (long) element;
    }
}
