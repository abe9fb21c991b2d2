package dev.weft.sync.internal;

/**
 * The wait node of an mpsc receive (a {@link RecvFuture}, {@link RecvManyFuture} or
 * {@link ReceiverStream}): a {@link WaitNode} that also learns the position of the message its
 * poll took, so a receive future can give the message back to the same place
 * ({@link ChannelCore#giveBack}).
 */
class ReceiveNode extends WaitNode {
    /**
     * The position (in the channel's order) of the message the last successful poll took. Written
     * by {@link ChannelCore} under the consumer lock during the node's own poll, read by the
     * node's owner after that poll returns: program order, no race.
     */
    long takenPosition;
}
