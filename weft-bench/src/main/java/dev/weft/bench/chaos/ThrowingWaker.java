package dev.weft.bench.chaos;

import dev.weft.Waker;

/** A waker that throws an injected exception (counted in the {@link FaultTally} first) when woken. */
final class ThrowingWaker implements Waker {
    private final FaultTally tally;
    private final long id;

    ThrowingWaker(FaultTally tally, long id) {
        this.tally = tally;
        this.id = id;
    }

    @Override
    public void wake() {
        tally.wakerThrown(id);
        throw new Injected(Injected.Kind.WAKER, id);
    }

    @Override
    public String toString() {
        return "ThrowingWaker #" + id;
    }
}
