/**
 * {@link dev.weft.ui.SwingRuntime}: Weft tasks on the Swing event dispatch thread.
 */
module dev.weft.ui {
    requires transitive dev.weft.runtime;
    requires transitive java.desktop;
    requires java.management;      // the EDT watch: which thread holds the monitor the EDT waits for

    exports dev.weft.ui;
}
