/** Runnable programs, one per story in the seeds. */
module dev.weft.examples {
    requires dev.weft.runtime;
    requires java.management;
    requires jdk.management;
}
