package dev.weft.bench.micro;

/**
 * The five workloads of the {@code micro} suite (../shared/BENCH-SPEC.md), written once per
 * style. Each method runs one round and returns when the round is complete.
 */
public interface Workloads extends AutoCloseable {
    int SPAWN_MANY = 100_000;
    int YIELD_TASKS = 200;
    int YIELDS = 1_000;
    int PING_PONGS = 1_000;
    int CHAIN = 1_000;
    int MESSAGES = 100_000;
    int CAPACITY = 1_024;

    void spawnMany() throws Exception;

    void yieldMany() throws Exception;

    void pingPong() throws Exception;

    void chainedSpawn() throws Exception;

    void mpsc100k() throws Exception;

    @Override
    void close();

    /** Sum of 0..n-1, the value the mpsc consumer must find. */
    static long expectedSum(int n) {
        return (long) n * (n - 1) / 2;
    }
}
