package dev.weft.bench.chaos;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What an actor may do next, with how often (relative weights). Names as used by
 * {@code -Dweft.chaos.skip=…} and {@code -Dweft.chaos.only=…}: lower case with dashes
 * ({@code drop-pair}).
 */
enum Op {
    SPAWN_MIX(10, TaskOps::spawnMix),
    SCOPES(3, TaskOps::scopes),
    SCOPE_FAILURES(3, TaskOps::scopeFailures),
    CANCEL_STORM(4, TaskOps::cancelStorm),
    TIMEOUTS(5, TaskOps::timeouts),
    ASYNC_SELECT(2, TaskOps::asyncSelect),
    PRODUCE(8, SyncOps::produce),
    CONSUME(8, SyncOps::consume),
    RETIRE_CHANNEL(1, SyncOps::retireChannel),
    LOCKS(6, SyncOps::locks),
    LOCK_SELECTS(6, SyncOps::lockSelects),
    JOIN_IN_SELECT(4, SyncOps::joinInSelect),
    JOIN_RELEASE(4, SyncOps::joinRelease),
    TIMER_WAKER(3, FaultOps::timerWaker),
    TASK_WAITER_WAKER(2, FaultOps::taskWaiterWaker),
    DROP_CANCELLED(3, FaultOps::dropCancelled),
    DROP_SELECT_LOSER(3, FaultOps::dropSelectLoser),
    DROP_PAIR(1, FaultOps::dropPair),
    DROP_AFTER_RESOURCE(1, FaultOps::dropAfterResource),
    ECHO(4, IoOps::echo),
    FILE_READ(2, IoOps::fileRead),
    FILE_READ_CANCEL(2, IoOps::fileReadCancelled);

    /** An operation's body, run by an actor (a sequential task on the main runtime). */
    @FunctionalInterface
    interface Body {
        void run(World w, SplittableRandom rnd) throws Exception;
    }

    private final int weight;
    private final Body body;

    Op(int weight, Body body) {
        this.weight = weight;
        this.body = body;
    }

    int weight() {
        return weight;
    }

    void run(World w, SplittableRandom rnd) throws Exception {
        body.run(w, rnd);
    }

    /** The name used on the command line. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Op byName(String label) {
        for (Op op : values()) {
            if (op.label().equals(label) || op.name().equals(label)) {
                return op;
            }
        }
        throw new IllegalArgumentException("no chaos operation '" + label + "'; operations: " + java.util.Arrays.stream(values())
                .map(Op::label).toList());
    }
}
