package dev.weft.tck.flow;

import dev.weft.Runtime;
import dev.weft.Sink;
import dev.weft.runtime.Runtimes;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.SubscriberPuppet;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.WhiteboxSubscriberProbe;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberWhiteboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK's subscriber rules (whitebox) for {@code Sink.toSubscriber}: the
 * subscriber is wrapped so that the TCK's probe sees each signal after the subscriber took it,
 * and its puppet requests and cancels through the subscription the subscriber was given.
 * Skipped by the TCK here: the {@code untested_*} rules.
 */
public class SinkSubscriberTckTest extends FlowSubscriberWhiteboxVerification<Long> {
    private Runtime runtime;

    public SinkSubscriberTckTest() {
        super(new TestEnvironment(FlowTck.TIMEOUT_MILLIS, FlowTck.NO_SIGNAL_MILLIS));
    }

    @BeforeClass
    public void startRuntime() {
        runtime = Runtimes.multiThreadBuilder().name("flow-tck-sink").workers(2).build();
    }

    @AfterClass(alwaysRun = true)
    public void closeRuntime() {
        runtime.close();
    }

    @Override
    public Flow.Subscriber<Long> createFlowSubscriber(WhiteboxSubscriberProbe<Long> probe) {
        Sink.Subscriber<Long> subject = FlowTck.sinkSubscriber(runtime);
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subject.onSubscribe(s);
                probe.registerOnSubscribe(new SubscriberPuppet() {
                    @Override
                    public void triggerRequest(long elements) {
                        s.request(elements);
                    }

                    @Override
                    public void signalCancel() {
                        s.cancel();
                    }
                });
            }

            @Override
            public void onNext(Long item) {
                subject.onNext(item);
                probe.registerOnNext(item);
            }

            @Override
            public void onError(Throwable failure) {
                subject.onError(failure);
                probe.registerOnError(failure);
            }

            @Override
            public void onComplete() {
                subject.onComplete();
                probe.registerOnComplete();
            }
        };
    }

    @Override
    public Long createElement(int element) {
        return (long) element;
    }
}
