package dev.herald.core.app;

import java.util.Collection;
import java.util.Optional;

/**
 * The apps a service knows right now. Static configuration ({@link AppCatalog}) never changes; the
 * ZooKeeper-backed directory of config-client answers from its current snapshot, so a caller that
 * needs several facts about one app reads them from the one {@link App} it got.
 */
public interface AppDirectory {

    Optional<App> find(String appId);

    Collection<App> apps();

    /** The app authenticating with {@code key}; implementations index keys, this default scans. */
    default Optional<App> findByKey(String key) {
        if (key == null) {
            return Optional.empty();
        }
        return apps().stream().filter(app -> app.key().equals(key)).findFirst();
    }
}
