package dev.weft.bench.echo;

import dev.weft.bench.Launches;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code echo} suite of ../shared/BENCH-SPEC.md. {@code EchoSuite suite [--launches N] [runner...]}
 * runs, for each runner, a server JVM and then one load-client JVM per workload ({@code c1},
 * {@code c50}, {@code c500}), and prints the spec's lines:
 * {@code echo <workload> <runner> <value> msg/s} and {@code … <value> us}, plus the load client's
 * CPU share, {@code … <value> client-cpu%} (a C client built with gcc: {@link LoadClient}). With
 * {@code --launches N} it does that N times, the runners interleaved (every runner's first launch,
 * then every runner's second, …), prints each launch's lines on stderr as
 * {@code # launch i/N: …}, and at the end the median of each figure with its spread
 * ({@link Launches}). The server JVM prints its port on stdout; everything else goes to stderr.
 *
 * <p>The TLS runners ({@link #TLS_RUNNERS}, run only when named) get a self-signed key pair made
 * once per suite run ({@link TlsKeys}), passed to each server JVM as its key store, and the TLS
 * load client ({@code tls_echo_client.c}, OpenSSL; {@link TlsEchoClient} where it cannot be built).
 */
public final class EchoSuite {
    static final List<String> RUNNERS = List.of("weft-nio/poll", "weft-nio/vthread", "weft-uring/poll", "weft-uring/vthread",
            "jdk/vthread", "netty/nio", "netty/io_uring");
    /** The TLS variants (BENCH-SPEC: TLS 1.3, JDK provider, one self-signed certificate); not in the default list. */
    static final List<String> TLS_RUNNERS = List.of("weft-nio-tls/poll", "netty/nio-tls");
    /** The C TLS load client's threads ({@code -Dweft.bench.echo.client.threads=N}). */
    static final int TLS_CLIENT_THREADS = Integer.getInteger("weft.bench.echo.client.threads", 1);
    /** The workloads' connection counts; {@code -Dweft.bench.echo.connections=50,500} runs only those. */
    static final int[] CONNECTIONS = java.util.Arrays.stream(System.getProperty("weft.bench.echo.connections", "1,50,500")
            .split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
    static final double WARMUP_SECONDS = Double.parseDouble(System.getProperty("weft.bench.echo.warmup", "3"));
    static final double MEASURE_SECONDS = Double.parseDouble(System.getProperty("weft.bench.echo.seconds", "10"));

    /** The key store of the TLS runners: set in a server JVM from its arguments. */
    private static java.nio.file.Path keyStore;

    private static final Map<String, Callable<EchoServer>> SERVERS = Map.of(
            "weft-nio/poll", () -> WeftEchoServer.poll(),
            "weft-nio/vthread", () -> WeftEchoServer.sequential(),
            "weft-uring/poll", () -> WeftEchoServer.uringPoll(),
            "weft-uring/vthread", () -> WeftEchoServer.uringSequential(),
            "jdk/vthread", JdkEchoServer::new,
            "netty/nio", NettyEchoServer::nio,
            "netty/io_uring", NettyEchoServer::ioUring,
            "weft-nio-tls/poll", () -> new WeftTlsEchoServer(keyStore),
            "netty/nio-tls", () -> NettyEchoServer.nioTls(keyStore));

    private EchoSuite() { }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "suite";
        switch (mode) {
            case "server" -> serve(args[1], args.length > 2 ? java.nio.file.Path.of(args[2]) : null);
            case "client" -> EchoClient.run(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Double.parseDouble(args[3]), Double.parseDouble(args[4]));
            case "tls-client" -> TlsEchoClient.run(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Double.parseDouble(args[3]), Double.parseDouble(args[4]));
            case "suite" -> suite(List.of(args).subList(1, args.length));
            default -> {
                System.err.println("usage: EchoSuite [suite [--launches N] [runner...] | server <runner> [key-store]"
                        + " | client|tls-client <port> <conns> <warmup-s> <seconds>]");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static void serve(String runner, java.nio.file.Path keys) throws Exception {
        Callable<EchoServer> make = SERVERS.get(runner);
        if (make == null) {
            System.err.println("unknown echo runner '" + runner + "'; runners: " + RUNNERS + ", " + TLS_RUNNERS);
            System.exit(2);
        }
        if (isTls(runner) && keys == null) {
            System.err.println("the TLS echo runner '" + runner + "' needs a key store: EchoSuite server " + runner + " <key-store>");
            System.exit(2);
        }
        keyStore = keys;
        try (EchoServer server = make.call()) {
            System.out.println(server.port());
            System.out.flush();
            System.in.read();        // until the suite closes our stdin
        }
    }

    private static void suite(List<String> args) throws Exception {
        int n = 1;
        List<String> runners = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--launches") && i + 1 < args.size()) {
                n = Integer.parseInt(args.get(++i));
            } else if (a.startsWith("--launches=")) {
                n = Integer.parseInt(a.substring("--launches=".length()));
            } else {
                runners.add(a);
            }
        }
        if (runners.isEmpty()) {
            runners.addAll(RUNNERS);
        }
        for (String runner : runners) {
            if (!SERVERS.containsKey(runner)) {
                System.err.println("unknown echo runner '" + runner + "'; runners: " + RUNNERS + ", and the TLS ones, "
                        + "run only when named: " + TLS_RUNNERS);
                System.exit(2);
            }
        }
        // One self-signed key pair per suite run, the same for every TLS server and launch.
        java.nio.file.Path keys = runners.stream().anyMatch(EchoSuite::isTls) ? TlsKeys.make() : null;
        if (n < 1) {
            System.err.println("--launches wants a whole number of at least 1, got " + n);
            System.exit(2);
        }
        int launches = n;
        // One launch: the figure lines as they come, as before. Several: the runners interleaved
        // (every runner's first launch, then every runner's second, ...), each launch's lines on
        // stderr, then per figure the median and its spread (BENCH-SPEC, "Noise").
        Launches all = new Launches("echo", launches, runners);
        boolean failed = false;
        for (int launch = 1; launch <= launches; launch++) {
            for (String runner : runners) {
                String prefix = launches == 1 ? "" : "# launch " + launch + "/" + launches + ": ";
                String which = launches == 1 ? "" : ", launch " + launch + "/" + launches;
                try {
                    launch(runner, which, keys, line -> {
                        all.addLine(line);
                        if (launches == 1) {
                            System.out.println(line);
                            System.out.flush();
                        } else {
                            System.err.println(prefix + line);
                        }
                    });
                    all.exited(runner, 0);
                } catch (IOException e) {
                    System.err.println("echo: " + runner + which + " failed: " + e.getMessage());
                    all.exited(runner, 1);
                    failed = true;
                }
            }
        }
        if (launches > 1) {
            all.report(System.out, System.err);
        }
        if (failed) {
            System.exit(1);
        }
    }

    /** One launch of {@code runner}: a server JVM, then a load-client JVM per workload; figure lines to {@code out}. */
    private static void launch(String runner, String which, java.nio.file.Path keys, java.util.function.Consumer<String> out)
            throws Exception {
        boolean tls = isTls(runner);
        Process server = tls ? java("server", runner, keys.toString()) : java("server", runner);
        try {
            BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String portLine = serverOut.readLine();
            if (portLine == null) {
                throw new IOException("the " + runner + " server exited before printing its port");
            }
            int port = Integer.parseInt(portLine.trim());
            for (int c : CONNECTIONS) {
                java.nio.file.Path nativeClient = tls ? LoadClient.tlsNative() : LoadClient.NATIVE;
                String clientName = nativeClient == null ? (tls ? "Java SSLSocket" : "Java")
                        : tls ? "C OpenSSL, " + TLS_CLIENT_THREADS + " thread(s)" : "C";
                System.err.printf("echo: %s%s, %d connections (%.0f s warm-up, %.0f s measured, %s load client)%n", runner,
                        which, c, WARMUP_SECONDS, MEASURE_SECONDS, clientName);
                String[] clientArgs = {String.valueOf(port), String.valueOf(c), String.valueOf(WARMUP_SECONDS),
                        String.valueOf(MEASURE_SECONDS)};
                if (tls && nativeClient != null) {
                    clientArgs = java.util.Arrays.copyOf(clientArgs, 5);
                    clientArgs[4] = String.valueOf(TLS_CLIENT_THREADS);
                }
                Process client = nativeClient != null
                        ? new ProcessBuilder(concat(nativeClient.toString(), clientArgs))
                                .redirectError(ProcessBuilder.Redirect.INHERIT).start()
                        : java(concat(tls ? "tls-client" : "client", clientArgs));
                String result = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (client.waitFor() != 0 || result.isEmpty()) {
                    throw new IOException("the load client failed against " + runner + " with " + c + " connections");
                }
                String[] f = result.split(" ");
                out.accept(String.format("echo c%d %s %s msg/s", c, runner, f[0]));
                out.accept(String.format("echo c%d %s %s us", c, runner, f[1]));
                out.accept(String.format("echo c%d %s %s client-cpu%%", c, runner, f[2]));     // the load client's share of a core
            }
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    static boolean isTls(String runner) {
        return TLS_RUNNERS.contains(runner);
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /**
     * The load client: {@code echo_client.c} (a resource of this module) built with gcc -O2 into
     * the temp directory once per suite run, so the client costs little CPU and is not what is
     * measured; the Java {@link EchoClient} where gcc is missing or {@code -Dweft.bench.echo.client=java}.
     * For the TLS runners {@code tls_echo_client.c}, built with OpenSSL ({@code -lssl -lcrypto},
     * Debian's {@code libssl-dev}) when first needed; {@link TlsEchoClient} where that fails.
     */
    static final class LoadClient {
        static final java.nio.file.Path NATIVE = build("echo_client", "the C load client", "the Java client");

        /** The TLS client, built at the first call. */
        static java.nio.file.Path tlsNative() {
            return TlsHolder.EXE;
        }

        private static final class TlsHolder {     // built at first use: only a run with a TLS runner needs it
            static final java.nio.file.Path EXE = build("tls_echo_client", "the C TLS load client (OpenSSL: apt-get install "
                    + "libssl-dev)", "the Java TLS client (SSLSocket)", "-pthread", "-lssl", "-lcrypto");
        }

        private static java.nio.file.Path build(String name, String what, String fallback, String... libs) {
            if ("java".equals(System.getProperty("weft.bench.echo.client"))) {
                return null;
            }
            try (var src = EchoSuite.class.getResourceAsStream(name + ".c")) {
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("weft-echo-client");
                java.nio.file.Path c = dir.resolve(name + ".c");
                java.nio.file.Path exe = dir.resolve(name);
                java.nio.file.Files.copy(src, c);
                List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-o", exe.toString(), c.toString()));
                cmd.addAll(List.of(libs));
                Process gcc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (gcc.waitFor() != 0) {
                    System.err.println("echo: " + what + " did not build (" + log.strip() + "); using " + fallback);
                    return null;
                }
                exe.toFile().deleteOnExit();
                c.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                return exe;
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("echo: no " + what + " (" + e + "); using " + fallback);
                return null;
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
