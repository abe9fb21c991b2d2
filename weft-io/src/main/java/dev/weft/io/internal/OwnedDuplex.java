package dev.weft.io.internal;

import dev.weft.Future;
import dev.weft.io.AsyncIo;
import dev.weft.io.IoBuf;
import dev.weft.io.OwnedIo;
import dev.weft.io.ReadResult;
import dev.weft.io.WriteResult;
import java.io.Closeable;
import java.io.IOException;

/** {@link OwnedIo#over(AsyncIo)}: the owned forms of a duplex readiness stream. */
public final class OwnedDuplex implements OwnedIo, Closeable {
    private final AsyncIo io;

    public OwnedDuplex(AsyncIo io) {
        this.io = io;
    }

    @Override
    public Future<ReadResult> readOwned(IoBuf buf) {
        return OwnedOps.read(io, buf);
    }

    @Override
    public Future<WriteResult> writeOwned(IoBuf buf) {
        return OwnedOps.write(io, buf, false);
    }

    @Override
    public Future<WriteResult> writeAllOwned(IoBuf buf) {
        return OwnedOps.write(io, buf, true);
    }

    /** Closes the stream underneath. */
    @Override
    public void close() throws IOException {
        io.close();
    }

    @Override
    public String toString() {
        return "OwnedIo.over(" + io + ")";
    }
}
