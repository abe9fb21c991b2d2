package dev.weft;

/**
 * The values of {@link Future#join(Future, Future)}: both futures completed.
 *
 * @param first the first future's value
 * @param second the second future's value
 * @param <A> the first value's type
 * @param <B> the second value's type
 */
public record Both<A, B>(A first, B second) { }
