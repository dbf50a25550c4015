package dev.herald.config.snapshot;

import dev.herald.config.address.CidrBlacklist;
import dev.herald.core.app.App;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Everything a service takes from the config tree, at one moment. Immutable: a change in ZooKeeper
 * builds a whole new snapshot that replaces this one in a single reference swap, so whoever holds a
 * snapshot (or an {@link App} from it) sees one consistent state, never half of an update.
 *
 * @param generation  increases by one with every snapshot a service builds (0 = nothing loaded yet)
 * @param builtAt     when this snapshot was built
 * @param apps        the online apps by id
 * @param appsByKey   the same apps by API key
 * @param blacklist   the IP ranges of {@code global/blacklist-ips}
 * @param settings    the value of {@code global/settings}, free-form; a copy on each call
 */
public record ConfigSnapshot(long generation, Instant builtAt, Map<String, App> apps, Map<String, App> appsByKey,
                             CidrBlacklist blacklist, JsonNode settings) {

    /** What a service holds before the first load from ZooKeeper. */
    public static final ConfigSnapshot EMPTY = of(0, Instant.EPOCH, List.of(), CidrBlacklist.EMPTY,
            JsonNodeFactory.instance.objectNode());

    public ConfigSnapshot {
        apps = Map.copyOf(apps);
        appsByKey = Map.copyOf(appsByKey);
        settings = settings.deepCopy();
    }

    /** A snapshot of {@code apps}, whose ids and keys must be unique. */
    public static ConfigSnapshot of(long generation, Instant builtAt, Collection<App> apps, CidrBlacklist blacklist,
                                    JsonNode settings) {
        Map<String, App> byId = new LinkedHashMap<>();
        Map<String, App> byKey = new LinkedHashMap<>();
        for (App app : apps) {
            if (byId.put(app.id(), app) != null || byKey.put(app.key(), app) != null) {
                throw new IllegalArgumentException("app " + app.id() + " repeats an id or key");
            }
        }
        return new ConfigSnapshot(generation, builtAt, byId, byKey, blacklist, settings);
    }

    public Optional<App> app(String appId) {
        return Optional.ofNullable(appId == null ? null : apps.get(appId));
    }

    public Optional<App> appByKey(String key) {
        return Optional.ofNullable(key == null ? null : appsByKey.get(key));
    }

    @Override
    public JsonNode settings() {
        return settings.deepCopy();
    }

    @Override
    public String toString() {
        return "ConfigSnapshot[generation=" + generation + ", builtAt=" + builtAt + ", apps=" + apps.keySet()
                + ", blacklist=" + blacklist.blocks().size() + " range(s)]";
    }
}
