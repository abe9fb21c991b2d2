package dev.weft;

/** A registration that can be withdrawn, such as a timer. Cancelling twice is harmless. */
@FunctionalInterface
public interface Cancellable {
    /** Withdraws the registration if it has not fired yet. */
    void cancel();
}
