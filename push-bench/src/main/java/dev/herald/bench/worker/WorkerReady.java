package dev.herald.bench.worker;

/** A worker has tried to connect all of its devices. */
public record WorkerReady(String worker, int devices, ConnectStats connect) {
}
