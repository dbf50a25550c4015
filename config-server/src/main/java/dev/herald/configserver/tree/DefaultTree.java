package dev.herald.configserver.tree;

import java.time.Clock;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tree a fresh installation starts with: the demo app (the one every service's static configuration
 * knows), an empty IP blacklist and empty global settings. Created in one transaction together with
 * {@code <root>/config}, so of several config-servers starting at once exactly one creates it and the others
 * find it complete.
 */
public final class DefaultTree {

    /** {@code updatedBy} of the seeded documents. */
    public static final String SEEDED_BY = "config-server";

    static final String DEMO_APP = """
            {"id":"demo","name":"Demo","key":"demo-key","secrets":["demo-secret-0123456789"],"cell":"default",\
            "limits":{"messagesPerSecond":0,"messagesPerDay":0},"callbackUrl":null}""";
    static final String EMPTY_BLACKLIST = "{\"entries\":[]}";
    static final String EMPTY_SETTINGS = "{}";

    private final CuratorFramework curator;
    private final String root;
    private final DocumentCodec codec;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    public DefaultTree(CuratorFramework curator, String root, DocumentCodec codec, Clock clock) {
        this.curator = curator;
        this.root = root;
        this.codec = codec;
        this.clock = clock;
    }

    /**
     * Creates the default tree unless {@code <root>/config} exists.
     *
     * @return whether this call created it
     */
    public boolean createIfAbsent() throws Exception {
        String config = root + "/config";
        if (curator.checkExists().forPath(config) != null) {
            return false;
        }
        try {
            curator.create().creatingParentsIfNeeded().forPath(root, new byte[0]);
        } catch (KeeperException.NodeExistsException e) {
            // the root exists, the config below it does not yet
        }
        List<CuratorOp> ops = List.of(
                folder(config),
                folder(config + "/apps"),
                node(config + "/apps/demo", DEMO_APP),
                folder(config + "/global"),
                node(config + "/global/blacklist-ips", EMPTY_BLACKLIST),
                node(config + "/global/settings", EMPTY_SETTINGS));
        try {
            curator.transaction().forOperations(ops);
            return true;
        } catch (KeeperException.NodeExistsException e) {
            return false; // another config-server seeded first
        }
    }

    private CuratorOp folder(String znode) throws Exception {
        return curator.transactionOp().create().forPath(znode, new byte[0]);
    }

    private CuratorOp node(String znode, String value) throws Exception {
        ConfigDocument document = new ConfigDocument(NodeState.ONLINE, clock.instant(), SEEDED_BY,
                (ObjectNode) json.readTree(value));
        return curator.transactionOp().create().forPath(znode, codec.encode(document));
    }
}
