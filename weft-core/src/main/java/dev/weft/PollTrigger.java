package dev.weft;

/**
 * What makes {@link Stream#fromPoll} and {@link Future#fromPoll} call their poll function again
 * after it found nothing. There are exactly two kinds, so the choice reads at the call site:
 *
 * <ul>
 *   <li>a {@link Backoff} — a timer: poll again after a delay (fixed, exponential or adaptive).
 *       For sources that cannot tell anyone when they have something, such as a C library that
 *       only offers "is there a frame now?".</li>
 *   <li>a {@link WakeSignal} — the source says so: whoever produces items calls
 *       {@link WakeSignal#signal()} (from any thread, including a native thread through an FFM
 *       upcall), and the task is woken at once. No timer, no empty polls while nothing happens.</li>
 * </ul>
 *
 * {@snippet class="dev.weft.snippets.PollTriggerSnippets" region="both"}
 *
 * <p>A trigger belongs to one stream or future at a time: make a new backoff per stream, and hand
 * a signal to one poller (a signal may be reused by futures that run one after another).
 *
 * <p>Sealed: {@code fromPoll} handles exactly these two. Custom delays are {@link Backoff}
 * implementations; custom sources call a {@link WakeSignal}.
 */
public sealed interface PollTrigger permits Backoff, WakeSignal {
}
