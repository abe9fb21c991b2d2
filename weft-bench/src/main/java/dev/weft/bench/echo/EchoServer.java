package dev.weft.bench.echo;

/** A server of the {@code echo} suite: echoes every byte it reads, on loopback, until closed. */
interface EchoServer extends AutoCloseable {
    /** The loopback port it listens on. */
    int port();

    /** Threads a multi-threaded server uses for connections: one per core, as the spec's multi-thread runners. */
    static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
