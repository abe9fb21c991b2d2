package dev.weft.sync;

/**
 * Both ends of a new mpsc channel, as {@link Channels#mpsc(int)} and {@link Channels#unbounded()}
 * return them. Hand the {@link #sender()} (or {@linkplain Sender#clone() clones} of it) to the
 * producers and the {@link #receiver()} to the consumer.
 *
 * @param sender   the first sender handle
 * @param receiver the receiver
 * @param <T>      the message type
 */
public record Channel<T>(Sender<T> sender, Receiver<T> receiver) { }
