package dev.herald.core.app;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The apps of static configuration, bound from {@code herald.apps[n].*}: {@code id}, {@code name},
 * {@code key}, {@code secret} (one) or {@code secrets} (one or two), {@code cell},
 * {@code limits.messages-per-second}, {@code limits.messages-per-day}, {@code callback-url}. An app without a cell is in
 * {@code herald.api.cell} ({@value App#DEFAULT_CELL} when unset), the cell push-api writes to.
 * Services that know ZooKeeper replace it with a ZooKeeper-backed {@link AppDirectory}.
 */
@ConfigurationProperties("herald")
public final class AppCatalog implements AppDirectory {

    private final List<App> apps;
    private final Map<String, App> byId;
    private final Map<String, App> byKey;

    /** Binds {@code herald.apps} and the default cell {@code herald.api.cell}. */
    @ConstructorBinding
    public AppCatalog(@DefaultValue List<Entry> apps, @DefaultValue Api api) {
        this(apps.stream().map(entry -> entry.toApp(api.cell())).toList());
    }

    public AppCatalog(List<App> apps) {
        this.apps = apps == null ? List.of() : List.copyOf(apps);
        // toUnmodifiableMap rejects a duplicated id, which is what a misconfiguration deserves.
        this.byId = this.apps.stream().collect(Collectors.toUnmodifiableMap(App::id, Function.identity()));
        Map<String, App> keys = new HashMap<>();
        for (App app : this.apps) {
            App previous = keys.put(app.key(), app);
            if (previous != null) {
                throw new IllegalStateException("apps " + previous.id() + " and " + app.id()
                        + " share a key: every app needs its own herald.apps[n].key");
            }
        }
        this.byKey = Map.copyOf(keys);
    }

    @Override
    public List<App> apps() {
        return apps;
    }

    @Override
    public Optional<App> find(String appId) {
        return Optional.ofNullable(appId == null ? null : byId.get(appId));
    }

    @Override
    public Optional<App> findByKey(String key) {
        return Optional.ofNullable(key == null ? null : byKey.get(key));
    }

    /**
     * One app as configured. {@code secret} is the short form of a one-element {@code secrets}; give
     * one of the two.
     */
    public record Entry(String id, String name, String key, String secret, List<String> secrets, String cell,
                        AppLimits limits, String callbackUrl) {

        App toApp(String defaultCell) {
            boolean hasList = secrets != null && !secrets.isEmpty();
            if (hasList && secret != null && !secrets.contains(secret)) {
                throw new IllegalArgumentException("app " + id + " sets both herald.apps[n].secret and "
                        + "herald.apps[n].secrets: give one of them");
            }
            List<String> all = hasList ? secrets : secret == null ? List.of() : List.of(secret);
            return new App(id, name, key, all, cell == null || cell.isBlank() ? defaultCell : cell, limits,
                    callbackUrl);
        }

        @Override
        public String toString() {
            return "Entry[id=" + id + ", key=" + key + "]";
        }
    }

    /** The part of {@code herald.api} that concerns static apps. */
    public record Api(@DefaultValue(App.DEFAULT_CELL) String cell) {
    }
}
