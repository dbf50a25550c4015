package dev.herald.configserver.validation;

import dev.herald.config.address.CidrBlock;
import dev.herald.configserver.problem.FieldProblem;
import dev.herald.configserver.problem.ProblemCode;
import dev.herald.configserver.tree.ConfigPath;
import dev.herald.core.app.Ids;
import dev.herald.web.problem.RejectedRequestException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What may be written where in the config tree. Paths: {@code apps/<appId>} holds apps, {@code global/...} holds
 * platform-wide nodes, anything else is free-form. Values: an app document for {@code apps/<appId>}, a list of
 * addresses and ranges for {@code global/blacklist-ips}, any JSON object elsewhere.
 *
 * <p>App documents are stored in full: members left out get their defaults ({@code name} = the id,
 * {@code cell} = {@code default}, {@code limits.messagesPerSecond} = {@code limits.messagesPerDay} = 0, {@code callbackUrl} = null), so every
 * service reads the same explicit document.
 */
public final class ValueRules {

    public static final String APPS = "apps";
    public static final String GLOBAL = "global";
    public static final String BLACKLIST = "blacklist-ips";
    public static final String SETTINGS = "settings";
    public static final String DEFAULT_CELL = "default";
    public static final int MIN_SECRET_LENGTH = 16;
    public static final int MAX_SECRETS = 2;

    private static final Pattern CELL = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Set<String> APP_MEMBERS = Set.of("id", "name", "key", "secrets", "cell", "limits", "callbackUrl");
    private static final Set<String> LIMITS_MEMBERS = Set.of("messagesPerSecond", "messagesPerDay");
    private static final int MAX_NAME_LENGTH = 200;
    private static final int MAX_KEY_LENGTH = 256;
    private static final int MAX_SECRET_LENGTH = 512;
    private static final int MAX_URL_LENGTH = 2048;
    private static final String VALUE = "value";

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    public static boolean isApp(ConfigPath path) {
        return path.depth() == 2 && path.first().equals(APPS);
    }

    /**
     * Checks that a node may be written at {@code path} with this value.
     *
     * @return the value to store (app documents completed with defaults)
     * @throws RejectedRequestException {@code INVALID_PATH} or {@code INVALID_VALUE} listing every fault
     */
    public ObjectNode check(ConfigPath path, JsonNode value) {
        List<FieldProblem> pathProblems = pathProblems(path);
        if (!pathProblems.isEmpty()) {
            throw FieldProblem.rejection(pathProblems);
        }
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw FieldProblem.rejection(List.of(problem(VALUE, "value is missing: send the node's content as a "
                    + "JSON object in 'value'.")));
        }
        if (!value.isObject()) {
            throw FieldProblem.rejection(List.of(problem(VALUE, "value must be a JSON object, not "
                    + describe(value) + ".")));
        }
        ObjectNode object = (ObjectNode) value;
        List<FieldProblem> problems = new ArrayList<>();
        ObjectNode checked;
        if (isApp(path)) {
            checked = checkApp(path.name(), object, problems);
        } else if (path.depth() == 2 && path.first().equals(GLOBAL) && path.name().equals(BLACKLIST)) {
            checked = checkBlacklist(object, problems);
        } else {
            checked = object;
        }
        if (!problems.isEmpty()) {
            throw FieldProblem.rejection(problems);
        }
        return checked;
    }

    private static List<FieldProblem> pathProblems(ConfigPath path) {
        String first = path.first();
        String message = null;
        if (path.depth() == 1 && (first.equals(APPS) || first.equals(GLOBAL))) {
            message = "'" + first + "' is the folder of " + (first.equals(APPS) ? "the apps: write apps/<appId>."
                    : "the global nodes: write global/<name>, such as global/blacklist-ips.");
        } else if (first.equals(APPS) && path.depth() > 2) {
            message = "Apps live directly below apps: write apps/<appId>, not " + path + ".";
        } else if (isApp(path) && !Ids.isAppId(path.name())) {
            message = "'" + path.name() + "' is not a valid app id: use 1 to 64 characters of [A-Za-z0-9._-].";
        } else if (first.equals(GLOBAL) && path.depth() > 2
                && (path.segments().get(1).equals(BLACKLIST) || path.segments().get(1).equals(SETTINGS))) {
            message = "global/" + path.segments().get(1) + " is a config node and cannot hold other nodes.";
        }
        return message == null ? List.of()
                : List.of(new FieldProblem("path", ProblemCode.INVALID_PATH, message));
    }

    private ObjectNode checkApp(String appId, ObjectNode app, List<FieldProblem> problems) {
        for (String member : app.propertyNames()) {
            if (!APP_MEMBERS.contains(member)) {
                problems.add(problem("value." + member, member.equals("secret")
                        ? "value.secret is not an app member: put the secret in value.secrets, a list of 1 or 2 "
                        + "secrets."
                        : "value." + member + " is not an app member; the members are " + sorted(APP_MEMBERS) + "."));
            }
        }
        JsonNode id = app.get("id");
        if (id == null || id.isNull()) {
            problems.add(problem("value.id", "value.id is missing: set it to '" + appId + "', the last segment of the "
                    + "path."));
        } else if (!id.isString() || !Ids.isAppId(id.stringValue())) {
            problems.add(problem("value.id", "value.id must be an app id: 1 to 64 characters of [A-Za-z0-9._-]."));
        } else if (!id.stringValue().equals(appId)) {
            problems.add(problem("value.id", "value.id is '" + id.stringValue() + "' but the path names app '" + appId
                    + "': they must be equal."));
        }

        String name = appId;
        JsonNode nameNode = app.get("name");
        if (nameNode != null && !nameNode.isNull()) {
            if (!nameNode.isString() || nameNode.stringValue().isBlank()
                    || nameNode.stringValue().length() > MAX_NAME_LENGTH) {
                problems.add(problem("value.name", "value.name must be a non-blank string of at most "
                        + MAX_NAME_LENGTH + " characters (or be left out: it then defaults to the id)."));
            } else {
                name = nameNode.stringValue();
            }
        }

        JsonNode key = app.get("key");
        if (key == null || key.isNull()) {
            problems.add(problem("value.key", "value.key is missing: the app's API key, unique among the apps."));
        } else if (!key.isString() || key.stringValue().isBlank()) {
            problems.add(problem("value.key", "value.key must be a non-blank string."));
        } else if (key.stringValue().length() > MAX_KEY_LENGTH || key.stringValue().indexOf(':') >= 0
                || key.stringValue().chars().anyMatch(Character::isISOControl)) {
            problems.add(problem("value.key", "value.key must have at most " + MAX_KEY_LENGTH + " characters and no "
                    + "':' or control characters (it is the user name of HTTP Basic authentication)."));
        }

        JsonNode secrets = app.get("secrets");
        if (secrets == null || secrets.isNull()) {
            problems.add(problem("value.secrets", "value.secrets is missing: a list of 1 or 2 secrets of at least "
                    + MIN_SECRET_LENGTH + " characters."));
        } else if (!secrets.isArray() || secrets.isEmpty() || secrets.size() > MAX_SECRETS) {
            problems.add(problem("value.secrets", "value.secrets must be a list of 1 or 2 secrets (two during a "
                    + "rotation)" + (secrets.isArray() ? ", not " + secrets.size() + "." : ".")));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < secrets.size(); i++) {
                JsonNode secret = secrets.get(i);
                String field = "value.secrets[" + i + "]";
                if (!secret.isString()) {
                    problems.add(problem(field, field + " must be a string."));
                } else if (secret.stringValue().length() < MIN_SECRET_LENGTH
                        || secret.stringValue().length() > MAX_SECRET_LENGTH) {
                    problems.add(problem(field, field + " must be " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH
                            + " characters long, not " + secret.stringValue().length() + "."));
                } else if (!seen.add(secret.stringValue())) {
                    problems.add(problem(field, field + " repeats another secret."));
                }
            }
        }

        String cell = DEFAULT_CELL;
        JsonNode cellNode = app.get("cell");
        if (cellNode != null && !cellNode.isNull()) {
            if (!cellNode.isString() || !CELL.matcher(cellNode.stringValue()).matches()) {
                problems.add(problem("value.cell", "value.cell must be a cell name: 1 to 64 characters of "
                        + "[A-Za-z0-9._-] (or be left out: it then defaults to '" + DEFAULT_CELL + "')."));
            } else {
                cell = cellNode.stringValue();
            }
        }

        int messagesPerSecond = 0;
        int messagesPerDay = 0;
        JsonNode limits = app.get("limits");
        if (limits != null && !limits.isNull()) {
            if (!limits.isObject()) {
                problems.add(problem("value.limits", "value.limits must be an object such as "
                        + "{\"messagesPerSecond\": 100, \"messagesPerDay\": 1000000}."));
            } else {
                for (String member : limits.propertyNames()) {
                    if (!LIMITS_MEMBERS.contains(member)) {
                        problems.add(problem("value.limits." + member, "value.limits." + member + " is not a limit; "
                                + "the limits are " + sorted(LIMITS_MEMBERS) + "."));
                    }
                }
                messagesPerSecond = limit(limits, "messagesPerSecond", problems);
                messagesPerDay = limit(limits, "messagesPerDay", problems);
            }
        }

        String callbackUrl = null;
        JsonNode callback = app.get("callbackUrl");
        if (callback != null && !callback.isNull()) {
            if (!callback.isString() || !isHttpUrl(callback.stringValue())) {
                problems.add(problem("value.callbackUrl", "value.callbackUrl must be null or an absolute http or "
                        + "https URL, such as https://example.com/herald/uplink."));
            } else {
                callbackUrl = callback.stringValue();
            }
        }

        if (!problems.isEmpty()) {
            return app;
        }
        ObjectNode complete = nodes.objectNode();
        complete.put("id", appId);
        complete.put("name", name);
        complete.put("key", key.stringValue());
        complete.set("secrets", secrets);
        complete.put("cell", cell);
        complete.set("limits", nodes.objectNode().put("messagesPerSecond", messagesPerSecond)
                .put("messagesPerDay", messagesPerDay));
        if (callbackUrl == null) {
            complete.putNull("callbackUrl");
        } else {
            complete.put("callbackUrl", callbackUrl);
        }
        return complete;
    }

    /** A limit of {@code value.limits}: a whole number from 0 (no limit); absent or null is 0. */
    private static int limit(JsonNode limits, String member, List<FieldProblem> problems) {
        JsonNode rate = limits.get(member);
        if (rate == null || rate.isNull()) {
            return 0;
        }
        if (!rate.isIntegralNumber() || !rate.canConvertToInt() || rate.intValue() < 0) {
            problems.add(problem("value.limits." + member, "value.limits." + member + " must be a whole number from 0 "
                    + "to " + Integer.MAX_VALUE + " (0 = no limit)."));
            return 0;
        }
        return rate.intValue();
    }

    private ObjectNode checkBlacklist(ObjectNode blacklist, List<FieldProblem> problems) {
        for (String member : blacklist.propertyNames()) {
            if (!member.equals("entries")) {
                problems.add(problem("value." + member, "value." + member + " is not a blacklist member; the only "
                        + "member is 'entries'."));
            }
        }
        JsonNode entries = blacklist.get("entries");
        if (entries == null || !entries.isArray()) {
            problems.add(problem("value.entries", "value.entries must be a list of IPv4 or IPv6 addresses and CIDR "
                    + "ranges, such as [\"10.1.2.3\", \"192.168.0.0/16\", \"2001:db8::/32\"]."));
            return blacklist;
        }
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String field = "value.entries[" + i + "]";
            if (!entry.isString()) {
                problems.add(problem(field, field + " must be a string."));
            } else {
                try {
                    CidrBlock.parseStrict(entry.stringValue());
                } catch (IllegalArgumentException e) {
                    problems.add(problem(field, field + ": " + e.getMessage() + "."));
                }
            }
        }
        return blacklist;
    }

    private static boolean isHttpUrl(String text) {
        if (text.length() > MAX_URL_LENGTH) {
            return false;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return uri.isAbsolute() && (scheme.equals("http") || scheme.equals("https"))
                    && uri.getHost() != null && !uri.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "a list";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String sorted(Set<String> names) {
        return String.join(", ", names.stream().sorted().toList());
    }

    private static FieldProblem problem(String field, String message) {
        return new FieldProblem(field, ProblemCode.INVALID_VALUE, message);
    }

    /** An app key used by two apps. */
    public static FieldProblem duplicateKey(String key, String otherAppId) {
        return new FieldProblem("value.key", ProblemCode.DUPLICATE_KEY, "value.key '" + key + "' is already the key "
                + "of app '" + otherAppId + "': every app needs its own key.");
    }
}
