package dev.weft;

/**
 * The winner of {@link Future#select(Future, Future)}: either the first future's value or the
 * second's. Use it with a pattern {@code switch}:
 * {@snippet class="dev.weft.snippets.FutureSnippets" region="select"}
 *
 * @param <A> the first future's value type
 * @param <B> the second future's value type
 */
public sealed interface Either<A, B> permits Either.First, Either.Second {

    /** The first future won with {@code value}. */
    record First<A, B>(A value) implements Either<A, B> { }

    /** The second future won with {@code value}. */
    record Second<A, B>(B value) implements Either<A, B> { }
}
