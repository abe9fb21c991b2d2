package dev.weft.sync;

import dev.weft.sync.internal.BroadcastCore;
import dev.weft.sync.internal.ChannelCore;
import dev.weft.sync.internal.ChannelReceiver;
import dev.weft.sync.internal.ChannelSender;
import dev.weft.sync.internal.OneshotCore;
import dev.weft.sync.internal.WatchCore;

/**
 * Makes channels: the way Weft tasks hand values to each other. Every channel works from
 * sequential tasks (blocking-style methods that park the virtual thread), from poll tasks (methods
 * ending in {@code Future}, and streams), and from plain threads; and every receive is safe to
 * cancel: it never loses a message.
 *
 * {@snippet class="dev.weft.sync.snippets.ChannelSnippets" region="mpsc"}
 *
 * <p><b>Instead of {@code java.util.concurrent}.</b> Use these rather than a
 * {@code BlockingQueue} or {@code CompletableFuture} between Weft tasks: a receive can be raced
 * in {@code Weft.select} or cancelled without losing the message, a poll task can wait on it
 * without blocking its worker, and waiting never holds a lock a worker could need. A
 * {@code BlockingQueue} stays the right tool between plain threads outside any runtime.
 *
 * <table class="striped">
 *   <caption>Which channel</caption>
 *   <tr><th>factory</th><th>senders → receivers</th><th>when full</th><th>use it for</th></tr>
 *   <tr><td>{@link #mpsc(int)}</td><td>many → one</td><td>senders wait</td><td>work queues, actors' inboxes, pipelines with back-pressure</td></tr>
 *   <tr><td>{@link #unbounded()}</td><td>many → one</td><td>never full</td><td>when the producer must never wait (events from a callback)</td></tr>
 *   <tr><td>{@link #oneshot()}</td><td>one → one, one value</td><td>-</td><td>a reply to a request</td></tr>
 *   <tr><td>{@link #broadcast(int)}</td><td>many → every receiver</td><td>oldest dropped, receivers told</td><td>fan-out of events</td></tr>
 *   <tr><td>{@link #watch(Object)}</td><td>one → many, latest value</td><td>older values replaced</td><td>configuration, status</td></tr>
 * </table>
 */
public final class Channels {
    private Channels() { }

    /**
     * A bounded multi-producer, single-consumer channel holding at most {@code capacity} messages:
     * {@link Sender#send} waits while it is full (back-pressure).
     *
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public static <T> Channel<T> mpsc(int capacity) {
        ChannelCore<T> core = ChannelCore.bounded(capacity);
        return new Channel<>(new ChannelSender<>(core), new ChannelReceiver<>(core));
    }

    /**
     * An unbounded multi-producer, single-consumer channel: sends never wait. Memory grows while
     * the receiver lags; prefer {@link #mpsc(int)} unless producers must never wait.
     */
    public static <T> Channel<T> unbounded() {
        ChannelCore<T> core = ChannelCore.unbounded();
        return new Channel<>(new ChannelSender<>(core), new ChannelReceiver<>(core));
    }

    /** A channel for a single value. {@snippet class="dev.weft.sync.snippets.OneshotSnippets" region="reply"} */
    public static <T> Oneshot<T> oneshot() {
        OneshotCore<T> core = new OneshotCore<>();
        return new Oneshot<>(core.sender(), core.receiver());
    }

    /**
     * A broadcast channel retaining the last {@code capacity} messages; every receiver sees every
     * message sent after it subscribed, unless it lags by more than {@code capacity}.
     *
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public static <T> Broadcast<T> broadcast(int capacity) {
        BroadcastCore<T> core = new BroadcastCore<>(capacity);
        Broadcast.Receiver<T> first = core.subscribe();
        return new Broadcast<>(core.newSender(), first);
    }

    /** A watch holding {@code initial} (which counts as seen by the first receiver). */
    public static <T> Watch<T> watch(T initial) {
        WatchCore<T> core = new WatchCore<>(initial);
        Watch.Receiver<T> first = core.subscribe();
        return new Watch<>(core.sender(), first);
    }
}
