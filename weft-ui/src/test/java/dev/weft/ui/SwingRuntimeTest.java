package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.awt.EventQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.table.DefaultTableModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What UI code sees on the Swing runtime (headless: components without a window). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SwingRuntimeTest {

    @Test
    void sequentialTasksRunOnTheEdtAndTouchComponentsDirectly() {
        try (SwingRuntime ui = SwingRuntime.open("ui-seq")) {
            List<Object> seen = ui.run(() -> {
                JPanel panel = new JPanel();
                JLabel label = new JLabel("before");
                panel.add(label);
                DefaultTableModel rows = new DefaultTableModel(new Object[] {"name", "size"}, 0);
                AtomicInteger events = new AtomicInteger();
                rows.addTableModelListener(e -> events.incrementAndGet());
                label.setText("loading");
                Weft.sleep(Duration.ofMillis(5));          // parks; the EDT dispatches meanwhile
                for (int i = 0; i < 3; i++) {
                    rows.addRow(new Object[] {"file-" + i, i * 10});
                }
                label.setText("done");
                panel.revalidate();
                panel.repaint();
                return List.of(SwingRuntime.isUiThread(), EventQueue.isDispatchThread(),
                        Thread.currentThread().isVirtual(), label.getText(), rows.getRowCount(), events.get());
            });
            // isDispatchThread is false in a sequential UI task (the thread is the task's virtual one): documented
            assertThat(seen).containsExactly(true, false, true, "done", 3, 3);
        }
    }

    @Test
    void pollTasksArePolledByTheEdtItself() {
        try (SwingRuntime ui = SwingRuntime.open("ui-poll")) {
            boolean[] onEdt = ui.run(() -> ui.spawnFuture((Future<boolean[]>) cx ->
                    Poll.ready(new boolean[] {EventQueue.isDispatchThread(), SwingRuntime.isUiThread(),
                        Runtime.current() == ui})).join());
            assertThat(onEdt).containsExactly(true, true, true);
        }
    }

    @Test
    void aUiTaskThatWaitsLeavesTheEdtFreeForEvents() throws Exception {
        try (SwingRuntime ui = SwingRuntime.open("ui-wait")) {
            Task<Void> waiting = ui.spawn(() -> Weft.sleep(Duration.ofMillis(400)));
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                EventQueue.invokeAndWait(() -> { });       // each event is dispatched while the task sleeps
            }
            long eventsMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(waiting.isDone()).as("the task still sleeps").isFalse();
            assertThat(eventsMillis).as("20 events dispatched beside a sleeping UI task").isLessThan(300);
            ui.run(waiting::join);
        }
    }

    @Test
    void otherRuntimesSpawnOntoItAndItsTasksAwaitTheirs() {
        try (SwingRuntime ui = SwingRuntime.open("ui-mix");
             Runtime workers = Runtimes.multiThreadBuilder().name("ui-mix-workers").workers(2).build()) {
            // a worker task hands UI work to the EDT and waits for it
            boolean fromWorker = workers.run(() -> ui.spawn(SwingRuntime::isUiThread).join());
            // a UI task starts background work on the workers, awaits it, and is back on the EDT
            List<Boolean> fromUi = ui.run(() -> {
                List<Task<Boolean>> jobs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    jobs.add(workers.spawn(() -> !SwingRuntime.isUiThread() && Runtime.current() == workers));
                }
                List<Boolean> out = new ArrayList<>();
                for (Task<Boolean> j : jobs) {
                    out.add(j.join());
                }
                out.add(SwingRuntime.isUiThread() && Runtime.current() == ui);
                return out;
            });
            assertThat(fromWorker).isTrue();
            assertThat(fromUi).containsOnly(true).hasSize(5);
        }
    }
}
