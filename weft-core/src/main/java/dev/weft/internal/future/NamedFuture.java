package dev.weft.internal.future;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.internal.TaskDump;

/**
 * A future made from a poll function (a lambda or method reference) that names itself in task
 * dumps as {@code operation(resource)}: {@code accept(TcpListener[/127.0.0.1:8080])}. The
 * resource's own {@code toString} is read when a dump is taken, so it shows its state then.
 */
public final class NamedFuture<T> implements Future<T> {
    private final String operation;
    private final Object resource;
    private final Future<T> poll;

    public NamedFuture(String operation, Object resource, Future<T> poll) {
        this.operation = operation;
        this.resource = resource;
        this.poll = poll;
    }

    @Override
    public Poll<T> poll(Context cx) {
        return poll.poll(cx);
    }

    @Override
    public void drop() {
        poll.drop();
    }

    @Override
    public void release(T value) {
        poll.release(value);
    }

    @Override
    public String toString() {
        return operation + "(" + TaskDump.describe(resource) + ")";
    }
}
