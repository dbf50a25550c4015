package dev.herald.core.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The apps this service knows, bound from {@code herald.apps[n].id/name/key/secret}. Shared by push-api
 * (request authentication, token minting) and access-service (token checks). A later release moves
 * apps to ZooKeeper; until then every service that needs them reads the same list.
 */
@ConfigurationProperties("herald")
public final class AppCatalog {

    private final List<App> apps;
    private final Map<String, App> byId;

    public AppCatalog(List<App> apps) {
        this.apps = apps == null ? List.of() : List.copyOf(apps);
        // toUnmodifiableMap rejects a duplicated id, which is what a misconfiguration deserves.
        this.byId = this.apps.stream().collect(Collectors.toUnmodifiableMap(App::id, Function.identity()));
    }

    public List<App> apps() {
        return apps;
    }

    public Optional<App> find(String appId) {
        return Optional.ofNullable(appId == null ? null : byId.get(appId));
    }
}
