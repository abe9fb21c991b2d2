package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.runtime.Runtimes;
import dev.weft.spi.AbstractRuntime;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * I/O bound to a named runtime's driver (issue 16, seed 001): a task on one runtime opens sockets
 * that another runtime's driver serves.
 */
class RuntimeIoTest {
    @Test
    void aTaskOnOneRuntimeTalksThroughSocketsThatAnotherRuntimesDriverServes() {
        try (Runtime workers = Runtimes.multiThreadBuilder().name("workers").workers(2).build();
             Runtime ui = Runtimes.currentThread("ui")) {
            RuntimeIo net = RuntimeIo.of(workers);
            assertThat(net.driverName()).isEqualTo("nio");
            String reply = ui.run(() -> {
                TcpListener listener = net.bind(new InetSocketAddress("127.0.0.1", 0));
                Task<Void> echo = workers.spawn(() -> {      // the server side runs on the workers
                    try (TcpStream s = listener.accept()) {
                        Io.copy(s, s);
                    }
                });
                try (TcpStream s = net.connect(listener.localAddress())) {
                    Io.writeAll(s, IoBuf.wrap("ping from ui".getBytes(StandardCharsets.UTF_8)));
                    s.shutdownOutput();
                    IoBuf got = Io.readToEnd(s, 1024);
                    echo.join();
                    listener.close();
                    return StandardCharsets.UTF_8.decode(got.asByteBuffer()).toString();
                }
            });
            assertThat(reply).isEqualTo("ping from ui");
            // the selector is the workers' runtime's; the ui runtime never made a driver of its own
            assertThat(((AbstractRuntime) workers).driverNames()).contains("NioDriver");
            assertThat(((AbstractRuntime) ui).driverNames()).isEmpty();
        }
    }

    @Test
    void closingTheServingRuntimeClosesItsSocketsAndAReaderElsewhereGetsAClearError() throws Exception {
        try (Runtime ui = Runtimes.currentThread("ui")) {
            Runtime workers = Runtimes.multiThreadBuilder().name("workers").workers(1).build();
            RuntimeIo net = RuntimeIo.of(workers);
            TcpListener listener = ui.run(() -> net.bind(new InetSocketAddress("127.0.0.1", 0)));
            Task<ReadResult> reader = ui.spawn(() -> {
                TcpStream s = net.connect(listener.localAddress());
                return s.read(IoBuf.allocate(16));         // waits: nobody writes
            });
            ui.run(() -> dev.weft.Weft.sleep(java.time.Duration.ofMillis(100)));
            workers.close();
            assertThatThrownBy(() -> ui.run(reader::join))
                    .hasRootCauseInstanceOf(IOException.class);
        }
    }
}
