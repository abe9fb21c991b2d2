package dev.weft.bench.soak;

import java.time.Duration;

/**
 * The settings of a soak run.
 *
 * @param duration     how long the clients keep echoing
 * @param interval     how often a sample line is printed (a minute for {@code ./weft soak})
 * @param connections  client connections kept open at once
 * @param message      bytes per message
 * @param workers      workers of each runtime (server and clients)
 */
record SoakConfig(Duration duration, Duration interval, int connections, int message, int workers) {

    static SoakConfig fromSystemProperties(Duration duration) {
        return new SoakConfig(duration,
                Duration.ofSeconds(Long.getLong("weft.soak.intervalSeconds", 60)),
                Integer.getInteger("weft.soak.connections", 500),
                Integer.getInteger("weft.soak.message", 64),
                Integer.getInteger("weft.soak.workers", 2));
    }
}
