package dev.herald.config.snapshot;

import dev.herald.config.address.CidrBlacklist;
import dev.herald.config.address.CidrBlock;
import dev.herald.core.app.App;
import dev.herald.core.app.AppLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Turns the znodes under {@code <root>/config} into a {@link ConfigSnapshot}. Every node holds
 * {@code {"state": "online"|"offline", "updatedAt", "updatedBy", "value": {...}}}; only online nodes
 * count. Known paths: {@code apps/<appId>}, {@code global/blacklist-ips}, {@code global/settings};
 * others are ignored, so the tree can grow without breaking older services.
 *
 * <p>A malformed node is left out with one WARN and the rest of the tree still applies. Parsed nodes
 * are remembered by their modification id (mzxid), so a rebuild re-reads only what changed and does
 * not repeat its warnings. Not thread-safe: one {@link ConfigWatcher} thread uses it.
 */
final class ConfigTreeReader {

    static final String APPS = "apps";
    static final String BLACKLIST = "global/blacklist-ips";
    static final String SETTINGS = "global/settings";

    private static final Logger log = LoggerFactory.getLogger(ConfigTreeReader.class);

    /** A znode as read from the cache: path relative to {@code <root>/config}, data, modification id. */
    record Node(String path, byte[] data, long mzxid) {
    }

    /** The outcome of reading one node: a value, or nothing (offline, malformed or not ours). */
    private record Parsed(long mzxid, Object value) {
    }

    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, Parsed> parsed = new HashMap<>();
    /** Apps left out for a repeated key, warned about once while the conflict lasts. */
    private Set<String> duplicateKeys = Set.of();

    ConfigSnapshot read(Iterable<Node> nodes, long generation, Instant now) {
        Map<String, App> apps = new TreeMap<>();
        CidrBlacklist blacklist = CidrBlacklist.EMPTY;
        JsonNode settings = JsonNodeFactory.instance.objectNode();
        Set<String> seen = new HashSet<>();
        for (Node node : nodes) {
            seen.add(node.path());
            Object value = parse(node);
            if (value instanceof App app) {
                apps.put(app.id(), app);
            } else if (value instanceof CidrBlacklist list) {
                blacklist = list;
            } else if (value instanceof JsonNode object) {
                settings = object;
            }
        }
        parsed.keySet().retainAll(seen);
        return ConfigSnapshot.of(generation, now, withUniqueKeys(apps), blacklist, settings);
    }

    private Object parse(Node node) {
        Parsed known = parsed.get(node.path());
        if (known != null && known.mzxid() == node.mzxid()) {
            return known.value();
        }
        Object value = null;
        Kind kind = Kind.of(node.path());
        if (kind != Kind.OTHER) {
            try {
                value = parseDocument(kind, node);
            } catch (MalformedNodeException | JacksonException | IllegalArgumentException e) {
                log.warn("config node {} is malformed and ignored: {}", node.path(), e.getMessage());
            }
        }
        parsed.put(node.path(), new Parsed(node.mzxid(), value));
        return value;
    }

    private enum Kind {
        APP, BLACKLIST, SETTINGS, OTHER;

        static Kind of(String path) {
            if (path.startsWith(APPS + "/") && path.indexOf('/', APPS.length() + 1) < 0) {
                return APP;
            }
            return path.equals(ConfigTreeReader.BLACKLIST) ? BLACKLIST
                    : path.equals(ConfigTreeReader.SETTINGS) ? SETTINGS : OTHER;
        }
    }

    private Object parseDocument(Kind kind, Node node) {
        if (node.data() == null || node.data().length == 0) {
            throw new MalformedNodeException("no data");
        }
        JsonNode document = json.readTree(node.data());
        if (document == null || !document.isObject()) {
            throw new MalformedNodeException("not a JSON object");
        }
        JsonNode state = document.get("state");
        if (state == null || !state.isString()) {
            throw new MalformedNodeException("'state' must be \"online\" or \"offline\"");
        }
        switch (state.stringValue()) {
            case "online" -> {
            }
            case "offline" -> {
                log.debug("config node {} is offline", node.path());
                return null;
            }
            default -> throw new MalformedNodeException("'state' must be \"online\" or \"offline\": " + state);
        }
        JsonNode value = document.get("value");
        if (value == null || !value.isObject()) {
            throw new MalformedNodeException("'value' must be a JSON object");
        }
        return switch (kind) {
            case APP -> app(node.path().substring(APPS.length() + 1), value);
            case BLACKLIST -> blacklist(node.path(), value);
            case SETTINGS -> value;
            case OTHER -> null;
        };
    }

    private static App app(String pathId, JsonNode value) {
        String id = optionalString(value, "id");
        if (id != null && !id.equals(pathId)) {
            throw new MalformedNodeException("'id' " + id + " differs from the node name " + pathId);
        }
        JsonNode secretsNode = value.get("secrets");
        if (secretsNode == null || !secretsNode.isArray()) {
            throw new MalformedNodeException("'secrets' must be an array of one or two strings");
        }
        List<String> secrets = new ArrayList<>();
        for (JsonNode secret : secretsNode.values()) {
            if (!secret.isString()) {
                throw new MalformedNodeException("'secrets' must hold strings");
            }
            secrets.add(secret.stringValue());
        }
        AppLimits limits = AppLimits.NONE;
        JsonNode limitsNode = value.get("limits");
        if (limitsNode != null && !limitsNode.isNull()) {
            if (!limitsNode.isObject()) {
                throw new MalformedNodeException("'limits' must be an object");
            }
            limits = new AppLimits(wholeNumber(limitsNode, "messagesPerSecond"), wholeNumber(limitsNode, "messagesPerDay"));
        }
        return new App(pathId, optionalString(value, "name"), optionalString(value, "key"), secrets,
                optionalString(value, "cell"), limits, optionalString(value, "callbackUrl"));
    }

    private static CidrBlacklist blacklist(String path, JsonNode value) {
        JsonNode entries = value.get("entries");
        if (entries == null || !entries.isArray()) {
            throw new MalformedNodeException("'entries' must be an array of addresses and CIDR ranges");
        }
        List<CidrBlock> blocks = new ArrayList<>();
        for (JsonNode entry : entries.values()) {
            // One bad entry must not unblock all the others: skip just that one.
            try {
                if (!entry.isString()) {
                    throw new IllegalArgumentException("not a string: " + entry);
                }
                blocks.add(CidrBlock.parse(entry.stringValue()));
            } catch (IllegalArgumentException e) {
                log.warn("config node {}: entry ignored: {}", path, e.getMessage());
            }
        }
        return new CidrBlacklist(blocks);
    }

    /** A limit; absent or null is 0 (no limit). */
    private static long wholeNumber(JsonNode limits, String field) {
        JsonNode node = limits.get(field);
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new MalformedNodeException("'limits." + field + "' must be a whole number");
        }
        return node.longValue();
    }

    private static String optionalString(JsonNode value, String field) {
        JsonNode node = value.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new MalformedNodeException("'" + field + "' must be a string");
        }
        return node.stringValue();
    }

    /** Two apps with one key would make API authentication ambiguous: the one later by id is left out. */
    private List<App> withUniqueKeys(Map<String, App> apps) {
        Set<String> keys = new HashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        List<App> unique = new ArrayList<>(apps.size());
        for (App app : apps.values()) {
            if (keys.add(app.key())) {
                unique.add(app);
            } else {
                duplicates.add(app.id());
                if (!duplicateKeys.contains(app.id())) {
                    log.warn("config node apps/{} is ignored: its key is already used by another app", app.id());
                }
            }
        }
        duplicateKeys = duplicates;
        return unique;
    }

    private static final class MalformedNodeException extends RuntimeException {

        MalformedNodeException(String message) {
            super(message, null, false, false);
        }
    }
}
