/**
 * {@link dev.weft.ui.SwingRuntime}: Weft tasks on the Swing event dispatch thread.
 */
module dev.weft.ui {
    requires transitive dev.weft.runtime;
    requires transitive java.desktop;

    exports dev.weft.ui;
}
