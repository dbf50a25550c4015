package dev.herald.configserver.tree;

import dev.herald.configserver.problem.ProblemCode;
import dev.herald.configserver.zookeeper.ZooKeeperUnavailableException;
import dev.herald.web.problem.Problems;
import dev.herald.web.problem.RejectedRequestException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;

/**
 * The config tree in ZooKeeper: config nodes at {@code <root>/config/<path>} and their previous documents at
 * {@code <root>/history/<path>/<version, 10 digits>}. Every change is one ZooKeeper transaction that writes the
 * node with its expected version, files the previous document in the history and trims the history, so a
 * stale or concurrent writer changes nothing at all.
 *
 * <p>Znodes without data are folders (parents such as {@code apps}); only znodes with data are config nodes, and
 * a config node never holds other nodes. Calls block: run them off the event loop.
 */
public final class ConfigTree {

    private static final Logger log = LoggerFactory.getLogger(ConfigTree.class);
    private static final Comparator<ConfigNode> BY_PATH = Comparator.comparing(node -> node.path().value());

    private final CuratorFramework curator;
    private final String configRoot;
    private final String historyRoot;
    private final int historySize;
    private final DocumentCodec codec;

    public ConfigTree(CuratorFramework curator, String root, int historySize, DocumentCodec codec) {
        this.curator = curator;
        this.configRoot = root + "/config";
        this.historyRoot = root + "/history";
        this.historySize = historySize;
        this.codec = codec;
    }

    /** The znode of a config node. */
    public String znode(ConfigPath path) {
        return configRoot + "/" + path.value();
    }

    /** The znode whose children are the node's previous documents. */
    public String historyZnode(ConfigPath path) {
        return historyRoot + "/" + path.value();
    }

    /** The name of the history entry holding the document a node had at {@code version}. */
    public static String historyEntryName(int version) {
        return String.format("%010d", version);
    }

    /** Every readable config node, sorted by path. Unreadable ones are logged and left out. */
    public List<ConfigNode> list() {
        return call(() -> {
            List<ConfigNode> nodes = new ArrayList<>();
            walk(configRoot, "", 0, nodes);
            nodes.sort(BY_PATH);
            return nodes;
        });
    }

    /** Every readable config node below {@code folder}, sorted by path. */
    public List<ConfigNode> listUnder(ConfigPath folder) {
        return call(() -> {
            List<ConfigNode> nodes = new ArrayList<>();
            walk(znode(folder), folder.value() + "/", folder.depth(), nodes);
            nodes.sort(BY_PATH);
            return nodes;
        });
    }

    public Optional<ConfigNode> find(ConfigPath path) {
        return call(() -> readNode(path).map(raw -> new ConfigNode(path, raw.stat().getVersion(), decode(path, raw))));
    }

    /**
     * Creates a node at version 0, with the folders above it. A leftover history of an earlier node at the same
     * path is cleared in the same transaction: versions restart at 0, so the old entries would collide.
     */
    public ConfigNode create(ConfigPath path, ConfigDocument document) {
        return call(() -> {
            for (ConfigPath ancestor : path.ancestors()) {
                Optional<Raw> above = readRaw(znode(ancestor));
                if (above.isPresent() && above.get().isNode()) {
                    throw RejectedRequestException.of(ProblemCode.INVALID_PATH, "'" + ancestor + "' is a config node "
                            + "and cannot hold other nodes: choose a path that does not start with '" + ancestor + "/'.");
                }
            }
            String target = znode(path);
            ensureFolder(ZKPaths.getPathAndNode(target).getPath());
            List<CuratorOp> ops = new ArrayList<>();
            ops.add(curator.transactionOp().create().forPath(target, codec.encode(document)));
            String history = historyZnode(path);
            for (String entry : children(history)) {
                ops.add(curator.transactionOp().delete().forPath(history + "/" + entry));
            }
            try {
                curator.transaction().forOperations(ops);
            } catch (KeeperException.NodeExistsException e) {
                throw alreadyThere(path);
            } catch (KeeperException.NoNodeException e) {
                throw concurrentChange(path);
            }
            log.info("created {} ({})", path, document.state().text());
            return new ConfigNode(path, 0, document);
        });
    }

    /**
     * Replaces a node's document if it is still at {@code expectedVersion}; the previous document goes to the
     * history.
     *
     * @param change builds the new document from the current one ({@code null} when the stored data is not a
     *               readable document, so that a broken node can be repaired)
     */
    public ConfigNode update(ConfigPath path, int expectedVersion, UnaryOperator<ConfigDocument> change) {
        return call(() -> {
            Raw current = readNode(path).orElseThrow(() -> notFound(path));
            requireVersion(path, expectedVersion, current.stat().getVersion());
            ConfigDocument next = change.apply(tryDecode(path, current));
            List<CuratorOp> ops = new ArrayList<>();
            ops.add(curator.transactionOp().setData().withVersion(expectedVersion)
                    .forPath(znode(path), codec.encode(next)));
            ops.addAll(historyOps(path, expectedVersion, current.data()));
            commit(path, expectedVersion, ops);
            log.info("updated {} to version {} ({})", path, expectedVersion + 1, next.state().text());
            return new ConfigNode(path, expectedVersion + 1, next);
        });
    }

    /** Deletes a node if it is still at {@code expectedVersion}; its last document stays in the history. */
    public void delete(ConfigPath path, int expectedVersion) {
        call(() -> {
            Raw current = readNode(path).orElseThrow(() -> notFound(path));
            requireVersion(path, expectedVersion, current.stat().getVersion());
            List<CuratorOp> ops = new ArrayList<>();
            ops.add(curator.transactionOp().delete().withVersion(expectedVersion).forPath(znode(path)));
            ops.addAll(historyOps(path, expectedVersion, current.data()));
            commit(path, expectedVersion, ops);
            log.info("deleted {} at version {}", path, expectedVersion);
            return null;
        });
    }

    /**
     * The previous documents of a node, newest first; also of a deleted node.
     *
     * @throws RejectedRequestException {@code NOT_FOUND} when there is neither a node nor a history
     */
    public List<HistoryEntry> history(ConfigPath path) {
        return call(() -> {
            String history = historyZnode(path);
            List<Integer> versions = versions(children(history));
            if (versions.isEmpty() && readNode(path).isEmpty()) {
                throw notFound(path);
            }
            List<HistoryEntry> entries = new ArrayList<>();
            for (int i = versions.size() - 1; i >= 0; i--) {
                int version = versions.get(i);
                String entry = history + "/" + historyEntryName(version);
                Optional<Raw> raw = readRaw(entry);
                if (raw.isEmpty()) {
                    continue; // trimmed meanwhile
                }
                try {
                    entries.add(new HistoryEntry(version, codec.decode(raw.get().data())));
                } catch (DocumentCodec.MalformedDocumentException e) {
                    log.warn("skipping history entry {}: {}", entry, e.getMessage());
                }
            }
            return entries;
        });
    }

    private void walk(String znode, String prefix, int depth, List<ConfigNode> into) throws Exception {
        for (String child : children(znode)) {
            String childZnode = znode + "/" + child;
            ConfigPath.ParseResult parsed = ConfigPath.parse(prefix + child);
            if (!parsed.ok()) {
                log.warn("skipping znode {}: not a valid config path", childZnode);
                continue;
            }
            Optional<Raw> raw = readRaw(childZnode);
            if (raw.isEmpty()) {
                continue; // deleted meanwhile
            }
            if (raw.get().isNode()) {
                try {
                    into.add(new ConfigNode(parsed.path(), raw.get().stat().getVersion(), codec.decode(raw.get().data())));
                } catch (DocumentCodec.MalformedDocumentException e) {
                    log.warn("skipping config node {}: {}", childZnode, e.getMessage());
                }
            }
            if (raw.get().stat().getNumChildren() > 0 && depth + 1 < ConfigPath.MAX_DEPTH) {
                walk(childZnode, prefix + child + "/", depth + 1, into);
            }
        }
    }

    /** Files {@code previousData} as the entry of {@code version} and drops the oldest entries beyond the limit. */
    private List<CuratorOp> historyOps(ConfigPath path, int version, byte[] previousData) throws Exception {
        String history = historyZnode(path);
        ensureFolder(history);
        List<Integer> kept = new ArrayList<>(versions(children(history)));
        List<CuratorOp> ops = new ArrayList<>();
        if (kept.remove(Integer.valueOf(version))) {
            ops.add(curator.transactionOp().delete().forPath(history + "/" + historyEntryName(version)));
        }
        ops.add(curator.transactionOp().create().forPath(history + "/" + historyEntryName(version), previousData));
        int excess = kept.size() + 1 - historySize;
        for (int i = 0; i < excess; i++) {
            ops.add(curator.transactionOp().delete().forPath(history + "/" + historyEntryName(kept.get(i))));
        }
        return ops;
    }

    private void commit(ConfigPath path, int expectedVersion, List<CuratorOp> ops) throws Exception {
        try {
            curator.transaction().forOperations(ops);
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException
                 | KeeperException.NodeExistsException e) {
            // Someone else changed the node or its history since it was read: say which, from a fresh read.
            Raw now = readNode(path).orElseThrow(() -> notFound(path));
            requireVersion(path, expectedVersion, now.stat().getVersion());
            throw concurrentChange(path);
        }
    }

    private void requireVersion(ConfigPath path, int expected, int actual) {
        if (expected != actual) {
            ProblemDetail problem = Problems.of(ProblemCode.VERSION_CONFLICT, path + " is at version " + actual
                    + ", not " + expected + ": read it again, reapply your change and retry with expectedVersion "
                    + actual + ".");
            problem.setProperty(ProblemCode.CURRENT_VERSION, actual);
            throw new RejectedRequestException(problem);
        }
    }

    private RejectedRequestException alreadyThere(ConfigPath path) throws Exception {
        Optional<Raw> there = readRaw(znode(path));
        if (there.isPresent() && there.get().isNode()) {
            int version = there.get().stat().getVersion();
            ProblemDetail problem = Problems.of(ProblemCode.NODE_EXISTS, "A config node already exists at " + path
                    + " (version " + version + "): change it with PUT and expectedVersion " + version
                    + ", or delete it first.");
            problem.setProperty(ProblemCode.CURRENT_VERSION, version);
            return new RejectedRequestException(problem);
        }
        return RejectedRequestException.of(ProblemCode.NODE_EXISTS, path + " is a folder holding other config "
                + "nodes and cannot be a config node itself.");
    }

    private static RejectedRequestException concurrentChange(ConfigPath path) {
        return RejectedRequestException.of(ProblemCode.VERSION_CONFLICT, path + " or its history changed while "
                + "this request was carried out: read it again and retry.");
    }

    private static RejectedRequestException notFound(ConfigPath path) {
        return RejectedRequestException.of(ProblemCode.NOT_FOUND, "There is no config node at " + path + ".");
    }

    private ConfigDocument decode(ConfigPath path, Raw raw) {
        try {
            return codec.decode(raw.data());
        } catch (DocumentCodec.MalformedDocumentException e) {
            throw RejectedRequestException.of(ProblemCode.CORRUPT_NODE, "The data of " + path + " is not a config "
                    + "document (" + e.getMessage() + "): it was not written by the config-server. Overwrite it with "
                    + "PUT and expectedVersion " + raw.stat().getVersion() + ", or delete it.");
        }
    }

    private ConfigDocument tryDecode(ConfigPath path, Raw raw) {
        try {
            return codec.decode(raw.data());
        } catch (DocumentCodec.MalformedDocumentException e) {
            log.warn("replacing the unreadable document of {}: {}", path, e.getMessage());
            return null;
        }
    }

    /** The config node at {@code path}; empty when there is nothing or only a folder. */
    private Optional<Raw> readNode(ConfigPath path) throws Exception {
        return readRaw(znode(path)).filter(Raw::isNode);
    }

    private Optional<Raw> readRaw(String znode) throws Exception {
        Stat stat = new Stat();
        try {
            byte[] data = curator.getData().storingStatIn(stat).forPath(znode);
            return Optional.of(new Raw(data == null ? new byte[0] : data, stat));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    private List<String> children(String znode) throws Exception {
        try {
            return curator.getChildren().forPath(znode).stream().sorted().toList();
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    private void ensureFolder(String znode) throws Exception {
        try {
            curator.create().creatingParentsIfNeeded().forPath(znode, new byte[0]);
        } catch (KeeperException.NodeExistsException e) {
            // already there: the usual case
        }
    }

    /** History entry names as versions, ascending; names that are not versions are ignored. */
    private static List<Integer> versions(List<String> names) {
        List<Integer> versions = new ArrayList<>();
        for (String name : names) {
            if (name.length() == 10 && name.chars().allMatch(Character::isDigit)) {
                versions.add(Integer.parseInt(name));
            }
        }
        versions.sort(Comparator.naturalOrder());
        return versions;
    }

    /**
     * Runs ZooKeeper calls, turning connection trouble into {@link ZooKeeperUnavailableException}. Fails at once
     * while disconnected instead of waiting for Curator's retries.
     */
    private <T> T call(ZooKeeperCall<T> work) {
        if (!curator.getZookeeperClient().isConnected()) {
            throw new ZooKeeperUnavailableException("not connected", null);
        }
        try {
            return work.run();
        } catch (RejectedRequestException | ZooKeeperUnavailableException e) {
            throw e;
        } catch (KeeperException e) {
            if (isConnectionTrouble(e.code())) {
                throw new ZooKeeperUnavailableException(e.code().name().toLowerCase(Locale.ROOT)
                        .replace('_', ' '), e);
            }
            throw new IllegalStateException("ZooKeeper refused an operation on " + e.getPath() + ": " + e.code(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZooKeeperUnavailableException("interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("ZooKeeper operation failed", e);
        }
    }

    private static boolean isConnectionTrouble(KeeperException.Code code) {
        return switch (code) {
            case CONNECTIONLOSS, SESSIONEXPIRED, SESSIONMOVED, OPERATIONTIMEOUT, REQUESTTIMEOUT -> true;
            default -> false;
        };
    }

    @FunctionalInterface
    private interface ZooKeeperCall<T> {
        T run() throws Exception;
    }

    /** A znode's bytes (empty for a folder) and stat. */
    private record Raw(byte[] data, Stat stat) {

        boolean isNode() {
            return data.length > 0;
        }
    }
}
