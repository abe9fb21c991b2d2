package dev.weft.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * User code that holds a runtime cannot call the task machinery's hooks (issue 16): a task
 * counted as started or finished by hand would corrupt the registry that close and the task
 * dump rely on. They are reached through {@code dev.weft.internal.RuntimeInternals}, which the
 * module exports to Weft's own modules only.
 */
class AbstractRuntimeSurfaceTest {
    @Test
    void theTaskRegistryHooksAreNotPublicOrProtected() {
        String[] hidden = {"taskStarted", "taskFinished"};
        for (Method m : AbstractRuntime.class.getDeclaredMethods()) {
            if (Arrays.asList(hidden).contains(m.getName())) {
                assertThat(Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers()))
                        .as("%s is visible to user code", m).isFalse();
            }
        }
        assertThat(Arrays.stream(AbstractRuntime.class.getMethods()).map(Method::getName))
                .doesNotContain(hidden);
    }

    /**
     * The task registry itself is the runtime's: its author reads it (protected), user code
     * holding a runtime counts the tasks and sees them in Weft.dump(), but cannot list them.
     */
    @Test
    void theLiveTaskListIsForTheRuntimesAuthorNotForItsUsers() throws Exception {
        for (String name : new String[] {"liveTasks", "liveTaskOn"}) {
            for (Method m : AbstractRuntime.class.getDeclaredMethods()) {
                if (m.getName().equals(name)) {
                    assertThat(Modifier.isProtected(m.getModifiers())).as("%s is protected", m).isTrue();
                }
            }
        }
        assertThat(Arrays.stream(AbstractRuntime.class.getMethods()).map(Method::getName))
                .doesNotContain("liveTasks", "liveTaskOn")
                .contains("liveTaskCount");
    }
}
