package dev.herald.api.auth;

import dev.herald.api.problem.ProblemCode;
import dev.herald.core.app.IpBlacklist;
import dev.herald.web.problem.ProblemWriter;
import dev.herald.web.problem.Problems;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Answers 403 {@code FORBIDDEN_ADDRESS} to clients whose address is in the IP blacklist (ZooKeeper
 * {@code global/blacklist-ips}; nothing is blocked without ZooKeeper), before authentication and before
 * any body is read. The address is the TCP peer: {@code X-Forwarded-For} is not trusted unless the
 * operator enables {@code server.forward-headers-strategy} behind a proxy that sets it. The actuator
 * stays reachable, so probes and scrapes from a blocked range keep working: it lives on the management
 * port, and the exemption keeps it open should that port's context apply this filter too.
 */
@Component
public final class BlockedAddressFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(BlockedAddressFilter.class);
    private static final String EXEMPT_PREFIX = "/actuator";

    private final IpBlacklist blacklist;
    private final ProblemWriter problems;

    public BlockedAddressFilter(IpBlacklist blacklist, ProblemWriter problems) {
        this.blacklist = blacklist;
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        // After the observation filter (so refusals show in the HTTP metrics), before authentication.
        return -1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        InetAddress address = remote == null ? null : remote.getAddress();
        if (address == null || !blacklist.blocks(address)
                || exchange.getRequest().getPath().pathWithinApplication().value().startsWith(EXEMPT_PREFIX)) {
            return chain.filter(exchange);
        }
        log.debug("refused {} {} from blacklisted {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), address.getHostAddress());
        return problems.writeBeforeBody(exchange, Problems.of(ProblemCode.FORBIDDEN_ADDRESS,
                "Requests from your address are not accepted."), HttpHeaders.EMPTY);
    }
}
