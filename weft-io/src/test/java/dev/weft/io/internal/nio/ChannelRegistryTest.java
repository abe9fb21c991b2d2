package dev.weft.io.internal.nio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The driver's registry of channels: sweeps drop closed registrations only, even while others are added. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelRegistryTest {

    /** Registrations over one channel: the registry never touches the channel. */
    private static List<Registration> registrations(NioDriver driver, Pipe pipe, int n) {
        List<Registration> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Registration(driver, pipe.source()));
        }
        return out;
    }

    private static Set<Registration> contents(ChannelRegistry registry) {
        Set<Registration> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        registry.forEach(r -> assertThat(seen.add(r)).as("each registration once").isTrue());
        return seen;
    }

    @Test
    void sweepsThatRaceWithAddsDropOnlyClosedRegistrations() throws Exception {
        try (Runtime rt = Runtimes.currentThread("registry-test")) {
            Pipe pipe = Pipe.open();
            NioDriver driver = NioDriver.of(rt);
            ChannelRegistry registry = new ChannelRegistry();
            int adders = 4;
            int each = 5_000;
            List<List<Registration>> made = new ArrayList<>();
            for (int t = 0; t < adders; t++) {
                made.add(registrations(driver, pipe, each));
            }
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean adding = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            for (List<Registration> mine : made) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < mine.size(); i++) {
                        Registration r = mine.get(i);
                        if (i % 3 != 0) {
                            r.close();          // two thirds closed (before the add: they may be swept at once)
                        }
                        registry.add(r);
                    }
                }));
            }
            Thread sweeper = Thread.ofPlatform().start(() -> {   // the one token holder
                while (adding.get()) {
                    registry.sweep();
                }
            });
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            adding.set(false);
            sweeper.join();
            registry.sweep();
            Set<Registration> left = contents(registry);
            int open = 0;
            for (List<Registration> mine : made) {
                for (int i = 0; i < mine.size(); i += 3) {
                    assertThat(left).as("an open registration survives every sweep").contains(mine.get(i));
                    open++;
                }
            }
            assertThat(left).hasSize(open);
            assertThat(registry.size()).isEqualTo(open);
            pipe.source().close();
            pipe.sink().close();
        }
    }
}
