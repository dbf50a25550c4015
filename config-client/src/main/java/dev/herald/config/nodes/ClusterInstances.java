package dev.herald.config.nodes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the cluster listing below {@code <root>/instances}: every running instance of every service
 * that registered with {@link InstanceRegistration}. Each call reads ZooKeeper afresh (one request per
 * service and per instance), which suits an operator's page, not a hot path. A znode that is not an
 * instance document is skipped with a WARN.
 */
public final class ClusterInstances {

    private static final Logger log = LoggerFactory.getLogger(ClusterInstances.class);
    private static final Comparator<ClusterInstance> ORDER =
            Comparator.comparing(ClusterInstance::service).thenComparing(ClusterInstance::cell)
                    .thenComparing(ClusterInstance::node);

    private final CuratorFramework curator;
    private final String root;

    public ClusterInstances(CuratorFramework curator, String root) {
        this.curator = curator;
        this.root = root;
    }

    /** Every registered instance, by service, cell and node. */
    public List<ClusterInstance> list() throws Exception {
        List<ClusterInstance> all = new ArrayList<>();
        for (String service : children(ClusterInstance.instancesPath(root))) {
            all.addAll(read(service));
        }
        all.sort(ORDER);
        return all;
    }

    /** The registered instances of one service. */
    public List<ClusterInstance> list(String service) throws Exception {
        List<ClusterInstance> instances = read(service);
        instances.sort(ORDER);
        return instances;
    }

    private List<ClusterInstance> read(String service) throws Exception {
        String parent = ClusterInstance.instancesPath(root) + "/" + service;
        List<ClusterInstance> instances = new ArrayList<>();
        for (String node : children(parent)) {
            byte[] data;
            try {
                data = curator.getData().forPath(parent + "/" + node);
            } catch (KeeperException.NoNodeException gone) {
                continue;
            }
            try {
                instances.add(ClusterInstanceCodec.decode(data));
            } catch (IllegalArgumentException e) {
                log.warn("skipping {}/{}: {}", parent, node, e.getMessage());
            }
        }
        return instances;
    }

    private List<String> children(String path) throws Exception {
        try {
            return curator.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException none) {
            return List.of();
        }
    }
}
