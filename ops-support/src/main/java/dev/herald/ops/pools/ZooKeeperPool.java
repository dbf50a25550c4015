package dev.herald.ops.pools;

import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;

/**
 * The service's ZooKeeper session as a pool of one connection. Curator's tracer reports every operation
 * with its result code and every change of the connection's state: {@code SyncConnected} is a created
 * connection, a session the server {@code Expired} is an idle time-out (ZooKeeper's own idleness limit,
 * the session timeout), a session Curator gave up on ({@code LOST}) a create failure; an operation that
 * ended with CONNECTIONLOSS or OPERATIONTIMEOUT waited for a connection in vain (an acquire time-out), and
 * any other system error is a call error. Answers such as NONODE or BADVERSION are results, not errors.
 * Active is 1 while connected (the session serves watches all the time), idle is 0.
 */
public final class ZooKeeperPool extends AdvancedTracerDriver implements ClientPool, ConnectionStateListener, AutoCloseable {

    private final String name;
    private final CuratorFramework curator;
    private final PoolCounters counters = new PoolCounters();

    ZooKeeperPool(String name, CuratorFramework curator) {
        this.name = name;
        this.curator = curator;
        // Curator's own driver only logs at TRACE; this one replaces it.
        curator.getZookeeperClient().setTracerDriver(this);
        curator.getConnectionStateListenable().addListener(this);
        if (curator.getZookeeperClient().isConnected()) {
            // Connected before this pool was attached: that connection was created too.
            counters.created();
        }
    }

    /** Counts the session and operations of {@code curator} as the pool {@code name} of {@code pools}. */
    public static ZooKeeperPool attach(ClientPools pools, String name, CuratorFramework curator) {
        ZooKeeperPool pool = new ZooKeeperPool(name, curator);
        pools.register(pool);
        return pool;
    }

    @Override
    public void addTrace(OperationTrace trace) {
        counters.called();
        int code = trace.getReturnCode();
        if (code == KeeperException.Code.OK.intValue() || isAnswer(code)) {
            return;
        }
        if (code == KeeperException.Code.CONNECTIONLOSS.intValue() || code == KeeperException.Code.OPERATIONTIMEOUT.intValue()) {
            counters.acquireTimedOut();
        } else {
            counters.callFailed();
        }
    }

    private static boolean isAnswer(int code) {
        return code == KeeperException.Code.NONODE.intValue() || code == KeeperException.Code.NODEEXISTS.intValue()
                || code == KeeperException.Code.BADVERSION.intValue() || code == KeeperException.Code.NOTEMPTY.intValue()
                || code == KeeperException.Code.NOCHILDRENFOREPHEMERALS.intValue();
    }

    @Override
    public void addEvent(EventTrace trace) {
        switch (trace.getName()) {
            case "SyncConnected" -> counters.created();
            case "Expired" -> counters.idleTimedOut();
            case "background-exceptions" -> counters.callFailed();
            default -> {
                // Disconnected, retries-allowed, ...: the state listener and the operations tell the rest.
            }
        }
    }

    @Override
    public void stateChanged(CuratorFramework client, ConnectionState newState) {
        if (newState == ConnectionState.LOST) {
            counters.createFailed();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "zookeeper";
    }

    @Override
    public PoolStats stats() {
        long active = curator.getZookeeperClient().isConnected() ? 1 : 0;
        return counters.stats(name, kind(), curator.getZookeeperClient().getCurrentConnectionString(), 0, active);
    }

    @Override
    public void close() {
        curator.getConnectionStateListenable().removeListener(this);
    }
}
