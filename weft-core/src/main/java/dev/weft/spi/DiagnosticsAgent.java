package dev.weft.spi;

/**
 * A diagnostics add-on started by a system property, without code changes: the console module
 * provides one for {@code -Dweft.console=PORT} (or {@code HOST:PORT}). Found with
 * {@link java.util.ServiceLoader} once per process, on the first runtime's background thread,
 * when its {@link #property()} is set.
 */
public interface DiagnosticsAgent {
    /** The system property that starts this agent, for example {@code weft.console}. */
    String property();

    /** Starts the agent with the property's value. A failure is reported and the program goes on. */
    void start(String value) throws Exception;
}
