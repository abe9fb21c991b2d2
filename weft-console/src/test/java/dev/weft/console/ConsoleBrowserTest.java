package dev.weft.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.Future;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: headless Chromium (Debian's {@code chromium} package) driven by
 * Selenium through {@code chromedriver} ({@code chromium-driver}), offline: both paths given, so
 * Selenium Manager downloads nothing, and Chromium kept from reaching outside hosts. Skipped,
 * saying why, where {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} is missing
 * ({@code .ci/run} installs both). The page talks only to the console on 127.0.0.1. Screenshots
 * for a person to look at: {@code target/console.png} (a stuck task's detail) and
 * {@code target/console-lints.png} (timing columns and lint badges, from a fixed dump).
 */
@Timeout(180)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target");     // weft-console/target: tests run in the module's directory
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void startBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (apt-get install -y chromium chromium-driver, as .ci/run does)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no " + CHROMEDRIVER + " (apt-get install -y chromium chromium-driver, as .ci/run does)");
        System.setProperty("se.offline", "true");       // Selenium Manager must not try to download a browser
        profile = Files.createTempDirectory("weft-console-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                // the network is closed: keep Chromium from reaching for outside hosts
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + profile,
                "--window-size=1440,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    @Test
    void stuckTasksAreListedAndTheirDetailShowsWhereTheyWait() throws Exception {
        Channel<String> empty = Channels.mpsc(16);
        try (var rt = Runtimes.multiThreadBuilder().name("browser-shop").workers(2).build();
             WeftConsole console = WeftConsole.start(0)) {
            List<Task<?>> tasks = new ArrayList<>();
            tasks.add(rt.spawn("stuck-recv", () -> empty.receiver().recv()));      // parks forever: nothing is sent
            tasks.add(rt.spawnFuture("stuck-never", Future.never()));
            tasks.add(rt.spawn("ticker", () -> {
                for (;;) {
                    Weft.sleep(Duration.ofMillis(20));
                }
            }));
            tasks.add(rt.spawn("sleeper", () -> Weft.sleep(Duration.ofMinutes(10))));
            try {
                browser.get(console.uri().toString());
                await("the page says it is live", () -> text("status").equals("live"));
                await("the task table lists the stuck tasks", () -> row("stuck-recv") != null && row("stuck-never") != null);
                await("the runtimes table lists the runtime (its MXBean registers asynchronously)",
                        () -> text("runtimes").contains("browser-shop"));
                assertThat(row("stuck-recv").getText()).contains("sequential").contains("IDLE").contains("browser-shop #");

                click("stuck-never");
                await("the poll task's detail shows its future", () -> text("detail-facts").contains("Future"));
                assertThat(text("detail-title")).contains("'stuck-never'");
                assertThat(text("detail-stack")).contains("A poll task has no stack");

                click("ticker");
                await("the sparkline of a task that wakes draws a line", () ->
                        !browser.findElements(By.cssSelector("#wakes-sparkline polyline")).isEmpty()
                        && text("detail-sparkline").matches("(?s)[1-9][0-9,]* wakes in the last.*"));

                sortBy("polls");
                assertThat(columnValues("polls")).as("polls, biggest first").isSortedAccordingTo(Comparator.reverseOrder());
                sortBy("polls");
                assertThat(columnValues("polls")).as("polls, smallest first").isSorted();
                sortBy("stateFor");
                assertThat(columnValues("stateFor")).as("time in state, longest first").isSortedAccordingTo(Comparator.reverseOrder());

                click("stuck-recv");
                await("the stuck sequential task's stack shows the test's own frame", () ->
                        text("detail-stack").contains(ConsoleBrowserTest.class.getName() + ".lambda$"));
                assertThat(text("detail-facts")).contains("parked in Weft").contains("recv(");
                assertThat(row("stuck-recv").getDomAttribute("class")).contains("selected");

                screenshot("console.png");
            } finally {
                tasks.forEach(Task::cancel);
            }
        }
    }

    /**
     * Once the core's dump carries lints (issue 14, part 3): a poll task on {@code Future.never()}
     * is idle, not scheduled and registered with no Weft resource, so it shows a LOST_WAKER badge
     * whose tooltip is the lint's message. Skipped while the dump has no lints yet; adjust here
     * if the lint the core gives it is another.
     */
    @Test
    void stuckTaskShowsItsLintBadge() throws Exception {
        try (var rt = Runtimes.multiThreadBuilder().name("browser-lints").workers(1).build();
             WeftConsole console = WeftConsole.start(0)) {
            Task<Object> never = rt.spawnFuture("stuck-lint", Future.never());
            try {
                JsonNode[] task = new JsonNode[1];
                Eventually.await(WAIT, "the dump lists 'stuck-lint'", () -> {
                    task[0] = WeftConsoleApiTest.task(JSON.readTree(WeftConsoleApiTest.get(console, "/api/dump").body()), "stuck-lint");
                    return task[0] != null;
                });
                assumeTrue(task[0].path("weft").has("lints") || task[0].path("weft").has("busyMillis"),
                        "the core's dump has no lints yet (busyMillis, lints: coming from the lead)");
                browser.get(console.uri().toString());
                await("the stuck task shows a LOST_WAKER badge (the lint fires after 5 s idle)", () ->
                        !row("stuck-lint").findElements(By.cssSelector(".lint[data-lint='LOST_WAKER']")).isEmpty());
                WebElement badge = row("stuck-lint").findElement(By.cssSelector(".lint[data-lint='LOST_WAKER']"));
                assertThat(badge.getDomAttribute("title")).contains("may never be woken");
            } finally {
                never.cancel();
            }
        }
    }

    @Test
    void timingAndLintsFromTheDumpAreShownAndAStoppedServerShowsDisconnected() throws Exception {
        WeftConsole console = WeftConsole.start(new InetSocketAddress("127.0.0.1", 0), new FixedData());
        try {
            browser.get(console.uri().toString());
            await("the page lists the dump's tasks", () -> row("lazy") != null && row("spinner") != null);
            assertThat(browser.findElement(By.cssSelector("#tasks th[data-sort='busy']")).isDisplayed())
                    .as("busy and idle columns appear when the dump has them").isTrue();

            WebElement badge = row("lazy").findElement(By.cssSelector(".lint[data-lint='LOST_WAKER']"));
            assertThat(badge.getText()).isEqualTo("LOST_WAKER");
            assertThat(badge.getDomAttribute("title")).isEqualTo(FixedData.LOST_WAKER_MESSAGE);
            assertThat(row("spinner").findElement(By.cssSelector(".lint")).getDomAttribute("data-lint")).isEqualTo("SELF_WAKES");

            sortBy("busy");
            assertThat(names()).as("busiest first").containsExactly("spinner", "in-scope", "lazy");
            sortBy("idle");
            assertThat(names()).as("most idle first").containsExactly("lazy", "in-scope", "spinner");

            click("in-scope");
            await("the detail shows the scope and the timing", () -> text("detail-facts").contains("opened by sequential task 'parent' #1"));
            assertThat(text("detail-facts")).contains("busy 2 ms, scheduled 0 ms, idle 4.0 s").contains("fixed #7 › scope #3");
            click("lazy");
            await("the detail lists the lint with its message", () -> text("detail-facts").contains(FixedData.LOST_WAKER_MESSAGE));
            screenshot("console-lints.png");

            console.close();
            await("the page says the console stopped answering", () -> text("status").equals("disconnected"));
        } finally {
            console.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void await(String what, Eventually.Check condition) throws InterruptedException {
        Eventually.await(WAIT, what, condition);
    }

    private static void screenshot(String file) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(file), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** The task table's row for the task named {@code name}, or null. */
    private static WebElement row(String name) {
        List<WebElement> rows = browser.findElements(By.cssSelector("#tasks tbody tr[data-name='" + name + "']"));
        return rows.isEmpty() ? null : rows.getFirst();
    }

    private static void click(String name) throws InterruptedException {
        Eventually.await(WAIT, "a click on the row of '" + name + "'", () -> {
            WebElement row = row(name);
            try {
                if (row != null) {
                    row.click();
                    return true;
                }
            } catch (StaleElementReferenceException | NoSuchElementException e) {
                // the row was re-sorted away between finding and clicking it: find it again
            }
            return false;
        });
        await("the row of '" + name + "' is selected", () -> row(name).getDomAttribute("class").contains("selected"));
    }

    private static void sortBy(String column) {
        browser.findElement(By.cssSelector("#tasks th[data-sort='" + column + "']")).click();
    }

    /** One column's values in the order shown, read in one script so they come from one rendering. */
    private static List<Double> columnValues(String column) {
        @SuppressWarnings("unchecked")
        List<Object> values = (List<Object>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('#tasks tbody td[data-col=\"' + arguments[0] + '\"]'))"
                        + ".map(td => Number(td.dataset.value));", column);
        assertThat(values).hasSizeGreaterThanOrEqualTo(4);
        return values.stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    private static List<String> names() {
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('#tasks tbody tr')).map(tr => tr.dataset.name);");
        return names;
    }

    /** A dump with the fields the core is adding (busy, idle, lints), and a scope, to check how the page shows them. */
    private static final class FixedData implements ConsoleData {
        static final String LOST_WAKER_MESSAGE = "idle 5.0 s, not scheduled, registered with no Weft resource: may never be woken";

        @Override
        public String dumpJson(boolean fullStacks) {
            return """
                {"threadDump":{"processId":"1","time":"2025-01-01T00:00:00Z","runtimeVersion":"25","threadContainers":[
                 {"container":"weft runtime 'fixed' #7","parent":"<root>","owner":null,"threads":[
                   {"tid":"10","name":"lazy","state":"IDLE","stack":[],"weft":{"kind":"POLL","stateForMillis":9000,
                    "ageMillis":9000,"where":"pending","future":"never","cancelled":false,"shielded":false,"polls":1,
                    "wakes":0,"busyMillis":1,"scheduledMillis":0,"idleMillis":9000,"selfWakes":0,
                    "lints":[{"lint":"LOST_WAKER","message":"%s"}]}},
                   {"tid":"11","name":"spinner","state":"SCHEDULED","stack":["a.B.c(B.java:1)"],"weft":{"kind":"SEQUENTIAL",
                    "stateForMillis":1,"ageMillis":8000,"where":"runnable","cancelled":false,"shielded":false,"polls":90000,
                    "wakes":90000,"busyMillis":7000,"scheduledMillis":900,"idleMillis":100,"selfWakes":89000,
                    "lints":[{"lint":"SELF_WAKES","message":"woke itself 89000 times"}]}}
                 ],"threadCount":"2","weft":{"kind":"runtime","runtimeId":7,"name":"fixed","description":"multi-thread, 2 workers","liveTasks":3}},
                 {"container":"weft scope #3","parent":"weft runtime 'fixed' #7","owner":"1","threads":[
                   {"tid":"12","name":"in-scope","state":"IDLE","stack":["a.B.d(B.java:2)"],"weft":{"kind":"SEQUENTIAL",
                    "stateForMillis":4000,"ageMillis":4000,"where":"parked in Weft","waitingOn":"recv(mpsc#1 [empty, 1 sender])",
                    "cancelled":false,"shielded":false,"polls":1,"wakes":0,"busyMillis":2,"scheduledMillis":0,
                    "idleMillis":4000,"selfWakes":0,"lints":[],"scopeId":3}}
                 ],"threadCount":"1","weft":{"kind":"scope","scopeId":3,"runtimeId":7,"openedBy":"sequential task 'parent' #1",
                   "failed":false,"closing":false}}
                ]}}
                """.formatted(LOST_WAKER_MESSAGE);
        }

        @Override
        public String runtimesJson() {
            return "[]";
        }
    }
}
