package dev.herald.configserver.cluster;

import dev.herald.config.nodes.ClusterInstance;
import dev.herald.config.nodes.ClusterInstances;
import dev.herald.configserver.ConfigServerProperties;
import dev.herald.configserver.problem.ProblemCode;
import dev.herald.configserver.zookeeper.ZooKeeperUnavailableException;
import dev.herald.web.problem.RejectedRequestException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The running instances as they registered themselves in ZooKeeper ({@code <root>/instances/<service>/<node>},
 * see config-client's {@link ClusterInstances}). Reads are blocking Curator calls: they run off the event loop,
 * bounded by the request timeout, and connection trouble answers 503 like the rest of the admin API.
 */
@Component
public final class InstanceDirectory {

    private final CuratorFramework curator;
    private final ClusterInstances instances;
    private final Duration requestTimeout;

    public InstanceDirectory(CuratorFramework curator, ClusterInstances instances, ConfigServerProperties properties) {
        this.curator = curator;
        this.instances = instances;
        this.requestTimeout = properties.zookeeper().requestTimeout();
    }

    /** Every registered instance, by service, cell and node. */
    public Mono<List<ClusterInstance>> all() {
        return read(instances::list);
    }

    /** The instance {@code service/node}, or a 404 problem naming where the registered ones are listed. */
    public Mono<ClusterInstance> find(String service, String node) {
        return read(() -> instances.list(service)).flatMap(registered -> registered.stream()
                .filter(instance -> instance.node().equals(node))
                .findFirst()
                .map(Mono::just)
                .orElseGet(() -> Mono.error(RejectedRequestException.of(ProblemCode.NOT_FOUND, "No instance "
                        + service + "/" + node + " is registered: it is not running, or its ZooKeeper session "
                        + "expired. GET /admin/v1/cluster lists the running instances."))));
    }

    private interface Read {
        List<ClusterInstance> run() throws Exception;
    }

    private Mono<List<ClusterInstance>> read(Read read) {
        return Mono.fromCallable(() -> {
                    if (!curator.getZookeeperClient().isConnected()) {
                        throw new ZooKeeperUnavailableException("not connected", null);
                    }
                    try {
                        return read.run();
                    } catch (KeeperException e) {
                        throw new ZooKeeperUnavailableException(e.code().name().toLowerCase(Locale.ROOT)
                                .replace('_', ' '), e);
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(requestTimeout, Mono.error(() -> new ZooKeeperUnavailableException(
                        "no answer within " + requestTimeout.toMillis() + " ms", null)));
    }
}
