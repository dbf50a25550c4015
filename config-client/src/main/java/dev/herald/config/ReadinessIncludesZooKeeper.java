package dev.herald.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * Adds the {@code zookeeper} component to the {@code readiness} health group when ZooKeeper is
 * configured. Listing it in {@code management.endpoint.health.group.readiness.include} instead would
 * fail start-up without ZooKeeper (Boot validates group members), so services list
 * {@code readinessState,redis} and this adds the rest. Liveness never includes it: a lost ZooKeeper
 * must take a service out of rotation, not get it restarted.
 */
final class ReadinessIncludesZooKeeper implements HealthEndpointGroupsPostProcessor {

    static final String READINESS = "readiness";
    static final String MEMBER = "zookeeper";

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        HealthEndpointGroup readiness = groups.get(READINESS);
        if (readiness == null || readiness.isMember(MEMBER)) {
            return groups;
        }
        Map<String, HealthEndpointGroup> named = new LinkedHashMap<>();
        for (String name : groups.getNames()) {
            named.put(name, name.equals(READINESS) ? new WithZooKeeper(readiness) : groups.get(name));
        }
        return HealthEndpointGroups.of(groups.getPrimary(), named);
    }

    private record WithZooKeeper(HealthEndpointGroup group) implements HealthEndpointGroup {

        @Override
        public boolean isMember(String name) {
            return MEMBER.equals(name) || group.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return group.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return group.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return group.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return group.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return group.getAdditionalPath();
        }
    }
}
