package dev.herald.configserver.zookeeper;

/**
 * ZooKeeper could not be reached (no connection, connection lost, session expired, or no answer in time).
 * Nothing was changed, or the change's outcome is unknown only in the rare case the connection dropped
 * after ZooKeeper applied it; the admin API answers 503 and the caller retries with a fresh read.
 */
public final class ZooKeeperUnavailableException extends RuntimeException {

    public ZooKeeperUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
