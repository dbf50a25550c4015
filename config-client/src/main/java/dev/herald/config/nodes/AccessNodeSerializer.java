package dev.herald.config.nodes;

import java.nio.charset.StandardCharsets;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.curator.x.discovery.details.InstanceSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes discovery instances in the layout of Curator's own JSON serializer, with the payload as the
 * plain object {@code {"nodeId", "cell", "httpPort"}} (no Java class names), so any ZooKeeper client can
 * read them:
 * <pre>{"name": "access.default", "id": "access-1", "address": "10.0.0.5", "port": 7070, "sslPort": null,
 *  "payload": {"nodeId": "access-1", "cell": "default", "httpPort": 8084},
 *  "registrationTimeUTC": 1764064800000, "serviceType": "DYNAMIC", "uriSpec": null, "enabled": true}</pre>
 */
final class AccessNodeSerializer implements InstanceSerializer<AccessNode> {

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public byte[] serialize(ServiceInstance<AccessNode> instance) {
        ObjectNode document = json.createObjectNode();
        document.put("name", instance.getName());
        document.put("id", instance.getId());
        document.put("address", instance.getAddress());
        document.put("port", instance.getPort());
        document.putNull("sslPort");
        AccessNode node = instance.getPayload();
        ObjectNode payload = document.putObject("payload");
        payload.put("nodeId", node.nodeId());
        payload.put("cell", node.cell());
        payload.put("httpPort", node.httpPort());
        document.put("registrationTimeUTC", instance.getRegistrationTimeUTC());
        document.put("serviceType", instance.getServiceType().name());
        document.putNull("uriSpec");
        document.put("enabled", instance.isEnabled());
        return json.writeValueAsString(document).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ServiceInstance<AccessNode> deserialize(byte[] bytes) {
        JsonNode document = json.readTree(bytes);
        JsonNode payload = document.path("payload");
        String id = document.path("id").asString("");
        String cell = payload.path("cell").asString("");
        if (cell.isEmpty()) {
            String name = document.path("name").asString("");
            cell = name.startsWith(AccessNode.SERVICE_PREFIX) ? name.substring(AccessNode.SERVICE_PREFIX.length()) : name;
        }
        AccessNode node = new AccessNode(payload.path("nodeId").asString(id), cell, document.path("address").asString(""),
                document.path("port").asInt(0), payload.path("httpPort").asInt(0));
        ServiceType type = ServiceType.valueOf(document.path("serviceType").asString(ServiceType.DYNAMIC.name()));
        return new ServiceInstance<>(document.path("name").asString(""), id, node.address(), node.port(), null, node,
                document.path("registrationTimeUTC").asLong(0), type, null, document.path("enabled").asBoolean(true));
    }
}
