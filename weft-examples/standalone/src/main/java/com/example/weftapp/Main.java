package com.example.weftapp;

import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A program in a project of its own that uses Weft as a library: Weft's default runtime and a
 * runtime of its own ({@link ExecutorRuntime}) in one process, spawning onto each other. Run as an
 * executable jar, {@code java -jar target/weft-standalone-1.0.jar}: the jar's manifest carries the
 * JVM flags Weft needs ({@code Add-Opens}, {@code Enable-Native-Access}) and its class path.
 */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        try (var mine = ExecutorRuntime.over("mine", Executors.newFixedThreadPool(2));
             var weft = Runtimes.multiThreadBuilder().name("weft").workers(2).build()) {
            String answer = weft.run(() -> {
                // a sequential task on the other runtime, spawned from this one and awaited here
                Task<Integer> there = mine.spawn(() -> {
                    Weft.sleep(Duration.ofMillis(10));              // the ExecutorRuntime's timer
                    return Weft.spawn(() -> 20).join() + 1;          // Weft.spawn: onto the current runtime, mine
                });
                return dev.weft.Runtime.current().name() + " got " + (there.join() * 2) + " from " + mine.name();
            });
            System.out.println(answer);
            System.out.println("sequential tasks carried by Weft's workers: " + weft.run(() -> Thread.currentThread().isVirtual()));
        }
    }
}
