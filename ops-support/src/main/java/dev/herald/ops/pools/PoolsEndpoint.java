package dev.herald.ops.pools;

import dev.herald.ops.ServiceIdentity;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/pools} on the management port: every client pool of this instance with the
 * seed's eight columns, see {@link PoolStats} and docs/operations.md.
 */
@Endpoint(id = "pools")
public final class PoolsEndpoint {

    private final ServiceIdentity identity;
    private final ClientPools pools;

    public PoolsEndpoint(ServiceIdentity identity, ClientPools pools) {
        this.identity = identity;
        this.pools = pools;
    }

    /** The answer: who this is and its pools, sorted by name. */
    public record PoolsReport(String service, String node, String cell, List<PoolStats> pools) {
    }

    @ReadOperation
    public PoolsReport pools() {
        return new PoolsReport(identity.service(), identity.node(), identity.cell(), pools.stats());
    }
}
