package dev.weft.bench.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code echo} suite of ../shared/BENCH-SPEC.md. {@code EchoSuite suite [runner...]} runs,
 * for each runner, a server JVM and then one load-client JVM per workload ({@code c1},
 * {@code c50}, {@code c500}), and prints the spec's lines:
 * {@code echo <workload> <runner> <value> msg/s} and {@code … <value> us}. The server JVM prints
 * its port on stdout; everything else goes to stderr.
 */
public final class EchoSuite {
    static final List<String> RUNNERS = List.of("weft-nio/poll", "weft-nio/vthread", "jdk/vthread", "netty/nio");
    static final int[] CONNECTIONS = {1, 50, 500};
    static final double WARMUP_SECONDS = Double.parseDouble(System.getProperty("weft.bench.echo.warmup", "3"));
    static final double MEASURE_SECONDS = Double.parseDouble(System.getProperty("weft.bench.echo.seconds", "10"));

    private static final Map<String, Callable<EchoServer>> SERVERS = Map.of(
            "weft-nio/poll", () -> WeftEchoServer.poll(),
            "weft-nio/vthread", () -> WeftEchoServer.sequential(),
            "jdk/vthread", JdkEchoServer::new,
            "netty/nio", NettyEchoServer::new);

    private EchoSuite() { }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "suite";
        switch (mode) {
            case "server" -> serve(args[1]);
            case "client" -> EchoClient.run(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Double.parseDouble(args[3]), Double.parseDouble(args[4]));
            case "suite" -> suite(args.length > 1 ? List.of(args).subList(1, args.length) : RUNNERS);
            default -> {
                System.err.println("usage: EchoSuite [suite [runner...] | server <runner> | client <port> <conns> <warmup-s> <seconds>]");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static void serve(String runner) throws Exception {
        Callable<EchoServer> make = SERVERS.get(runner);
        if (make == null) {
            System.err.println("unknown echo runner '" + runner + "'; runners: " + RUNNERS);
            System.exit(2);
        }
        try (EchoServer server = make.call()) {
            System.out.println(server.port());
            System.out.flush();
            System.in.read();        // until the suite closes our stdin
        }
    }

    private static void suite(List<String> runners) throws Exception {
        for (String runner : runners) {
            if (!SERVERS.containsKey(runner)) {
                System.err.println("unknown echo runner '" + runner + "'; runners: " + RUNNERS);
                System.exit(2);
            }
        }
        for (String runner : runners) {
            Process server = java("server", runner);
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
                String portLine = out.readLine();
                if (portLine == null) {
                    throw new IOException("the " + runner + " server exited before printing its port");
                }
                int port = Integer.parseInt(portLine.trim());
                for (int c : CONNECTIONS) {
                    System.err.printf("echo: %s, %d connections (%.0f s warm-up, %.0f s measured)%n", runner, c, WARMUP_SECONDS, MEASURE_SECONDS);
                    Process client = java("client", String.valueOf(port), String.valueOf(c),
                            String.valueOf(WARMUP_SECONDS), String.valueOf(MEASURE_SECONDS));
                    String result = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    if (client.waitFor() != 0 || result.isEmpty()) {
                        throw new IOException("the load client failed against " + runner + " with " + c + " connections");
                    }
                    String[] f = result.split(" ");
                    System.out.printf("echo c%d %s %s msg/s%n", c, runner, f[0]);
                    System.out.printf("echo c%d %s %s us%n", c, runner, f[1]);
                    System.out.flush();
                }
            } finally {
                server.getOutputStream().close();
                if (!server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
    }

    /** A JVM like this one (same java, class path and flags) running {@code EchoSuite args}. */
    private static Process java(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EchoSuite.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
