package dev.weft.runtime;

import dev.weft.Future;
import dev.weft.Weft;

/** Run by {@link CarrierHookUnavailableTest} in a JVM started without the --add-opens flag. */
public final class NoFlagProbe {
    public static void main(String[] args) {
        System.out.println("hook=" + Runtimes.carrierHookAvailable());
        try (var rt = Runtimes.currentThread("probe")) {
            System.out.println("poll=" + rt.blockOn(Future.ready(41).map(x -> x + 1)));
            try {
                rt.run(() -> "sequential");
                System.out.println("sequential=ran");
            } catch (IllegalStateException e) {
                System.out.println("error=" + e.getMessage());
            }
        }
        try {
            Carriers.carriedBy(Runnable::run, "third-party");
            System.out.println("carriedBy=made");
        } catch (IllegalStateException e) {
            System.out.println("carriedByError=" + e.getMessage());
        }
        Thread jdk = Carriers.jdkScheduled("third-party").newThread(() -> { });
        System.out.println("jdkScheduled=" + jdk.isVirtual());
        System.out.println("weftRun=" + Weft.run(() -> {
            Weft.sleep(java.time.Duration.ofMillis(1));
            return "ok";
        }));
    }
}
