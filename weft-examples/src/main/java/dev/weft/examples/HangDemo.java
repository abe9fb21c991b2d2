package dev.weft.examples;

import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import java.time.Duration;

/**
 * {@code ./weft demo hang}: a small order service that hangs, and the task dump that shows why.
 *
 * <p>The {@code orders} task asks {@code inventory} to reserve stock and waits for the answer;
 * {@code inventory} was changed to wait for a payment confirmation before it answers, and the
 * payment is only sent by {@code orders} after the stock answer: each waits for the other. Nothing
 * fails and nothing logs; the service is just still. A healthy {@code metrics} poll task and a
 * scope of two {@code worker}s run beside them, as in a real service. After a moment the demo
 * prints {@link Weft#dump()}: both culprits parked in {@code recv} on empty channels, each at its
 * line in this file.
 */
public final class HangDemo {
    private HangDemo() { }

    public static void main(String[] args) throws Exception {
        long waitMillis = args.length > 0 ? Long.parseLong(args[0]) : 1_500;
        System.out.print(run(Duration.ofMillis(waitMillis)));
    }

    /** Starts the service, waits {@code settle}, and returns the dump (the runtime is closed after). */
    public static String run(Duration settle) {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("shop").workers(2).build()) {
            return rt.spawn("main", () -> {
                Channel<String> reservations = Channels.mpsc(16);
                Channel<String> stock = Channels.mpsc(16);
                Channel<String> payments = Channels.mpsc(16);

                Weft.spawn("inventory", () -> {
                    String order = reservations.receiver().recv();
                    String paid = payments.receiver().recv();       // BUG: waits for a payment before answering
                    stock.sender().send("reserved " + order + " (" + paid + ")");
                });
                Weft.spawn("orders", () -> {
                    reservations.sender().send("order-1");
                    String answer = stock.receiver().recv();        // waits for inventory's answer...
                    payments.sender().send("paid for " + answer);   // ...which waits for this payment
                });
                Weft.spawnFuture("metrics", Future.sleep(Duration.ofMinutes(10)).map(v -> "flushed"));
                Task<Void> workers = Weft.spawn("workers", () -> {
                    try (var scope = dev.weft.TaskScope.open()) {
                        scope.spawn("worker-1", () -> Weft.sleep(Duration.ofMinutes(10)));
                        scope.spawn("worker-2", () -> Weft.sleep(Duration.ofMinutes(10)));
                        scope.join();
                    }
                });
                Weft.sleep(settle);
                String dump = Weft.dump();
                workers.cancel();
                return dump;
            }).join();
        }
    }
}
