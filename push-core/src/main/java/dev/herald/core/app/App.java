package dev.herald.core.app;

/**
 * An app registered with Herald. {@code key} and {@code secret} authenticate the app's server on the
 * REST API; {@code secret} also signs the app's device tokens.
 */
public record App(String id, String name, String key, String secret) {

    public App {
        if (!Ids.isAppId(id)) {
            throw new IllegalArgumentException("app id must match " + Ids.APP_ID_PATTERN + ": " + id);
        }
        if (key == null || key.isBlank() || secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("app " + id + " needs a key and a secret of at least 16 characters");
        }
        name = name == null || name.isBlank() ? id : name;
    }

    @Override
    public String toString() {
        return "App[id=" + id + ", name=" + name + ", key=" + key + "]";
    }
}
