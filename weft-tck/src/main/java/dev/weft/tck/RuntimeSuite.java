package dev.weft.tck;

import dev.weft.Runtime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the kit's runtime suites share: a fresh runtime per test ({@link #newRuntime()}, which a
 * runtime's subclass supplies) in {@link #rt}, closed after the test. A test may close it and
 * put another in {@code rt}; that one is closed too.
 */
public abstract class RuntimeSuite {
    /** The runtime under test, made before each test. */
    protected Runtime rt;

    /** A fresh runtime of the kind under test. */
    protected abstract Runtime newRuntime();

    @BeforeEach
    protected void open() {
        rt = newRuntime();
    }

    @AfterEach
    protected void closeRuntime() {
        rt.close();
    }
}
