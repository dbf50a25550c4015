package dev.herald.configserver.admin;

import dev.herald.configserver.problem.FieldProblem;
import dev.herald.configserver.problem.ProblemCode;
import dev.herald.configserver.tree.ConfigDocument;
import dev.herald.configserver.tree.ConfigNode;
import dev.herald.configserver.tree.ConfigPath;
import dev.herald.configserver.tree.ConfigTree;
import dev.herald.configserver.tree.HistoryEntry;
import dev.herald.configserver.tree.NodeState;
import dev.herald.configserver.validation.ValueRules;
import dev.herald.web.problem.RejectedRequestException;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin operations on the config tree: validation by path, app key uniqueness, who and when, then the
 * versioned write. Blocking: the controller runs it off the event loop.
 */
@Component
public final class ConfigEditor {

    private static final ConfigPath APPS = ConfigPath.of(ValueRules.APPS);

    private final ConfigTree tree;
    private final ValueRules rules;
    private final Clock clock;

    public ConfigEditor(ConfigTree tree, Clock clock) {
        this.tree = tree;
        this.rules = new ValueRules();
        this.clock = clock;
    }

    public List<ConfigNode> list() {
        return tree.list();
    }

    public ConfigNode read(ConfigPath path) {
        return tree.find(path).orElseThrow(() -> RejectedRequestException.of(ProblemCode.NOT_FOUND,
                "There is no config node at " + path + "."));
    }

    public ConfigNode create(ConfigPath path, JsonNode value, NodeState state, String operator) {
        ObjectNode checked = rules.check(path, value);
        requireUniqueKey(path, checked);
        return tree.create(path, new ConfigDocument(state, clock.instant(), operator, checked));
    }

    /** Replaces the value; the state stays as it is unless {@code state} is given. */
    public ConfigNode replace(ConfigPath path, int expectedVersion, JsonNode value, NodeState state, String operator) {
        ObjectNode checked = rules.check(path, value);
        requireUniqueKey(path, checked);
        return tree.update(path, expectedVersion, current -> new ConfigDocument(
                state != null ? state : current == null ? NodeState.ONLINE : current.state(),
                clock.instant(), operator, checked));
    }

    /** Takes a node online or offline, value unchanged: a versioned update like any other. */
    public ConfigNode changeState(ConfigPath path, int expectedVersion, NodeState state, String operator) {
        return tree.update(path, expectedVersion, current -> {
            if (current == null) {
                throw RejectedRequestException.of(ProblemCode.CORRUPT_NODE, "The data of " + path + " is not a "
                        + "config document, so there is no value to keep: replace it with PUT.");
            }
            return new ConfigDocument(state, clock.instant(), operator, current.value());
        });
    }

    public void delete(ConfigPath path, int expectedVersion) {
        tree.delete(path, expectedVersion);
    }

    public List<HistoryEntry> history(ConfigPath path) {
        return tree.history(path);
    }

    /**
     * Apps authenticate by key, so two apps must not share one, whatever their state: an offline app may be
     * taken online again. Checked before the write, not atomically with it; two concurrent writes of the same
     * new key are the operator's race to avoid.
     */
    private void requireUniqueKey(ConfigPath path, ObjectNode app) {
        if (!ValueRules.isApp(path)) {
            return;
        }
        String key = app.get("key").stringValue();
        for (ConfigNode other : tree.listUnder(APPS)) {
            if (!ValueRules.isApp(other.path()) || other.path().name().equals(path.name())) {
                continue;
            }
            JsonNode otherKey = other.document().value().get("key");
            if (otherKey != null && otherKey.isString() && otherKey.stringValue().equals(key)) {
                throw FieldProblem.rejection(List.of(ValueRules.duplicateKey(key, other.path().name())));
            }
        }
    }
}
