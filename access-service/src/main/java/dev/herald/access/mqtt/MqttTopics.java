package dev.herald.access.mqtt;

/**
 * The topic names of the MQTT mapping: {@code herald/<app>/devices/<device>} (the device's unicasts),
 * {@code herald/<app>/broadcast} (the app's broadcasts) and {@code herald/<app>/up} (uplink).
 * Wildcards are not accepted: a device subscribes to exactly its own topics.
 */
final class MqttTopics {

    static final String PREFIX = "herald/";

    private MqttTopics() {
    }

    static String device(String appId, String deviceId) {
        return PREFIX + appId + "/devices/" + deviceId;
    }

    static String broadcast(String appId) {
        return PREFIX + appId + "/broadcast";
    }

    static String uplink(String appId) {
        return PREFIX + appId + "/up";
    }

    /** What a subscription topic names, for the device {@code deviceId}; {@code null} when it is not one of its topics. */
    static Subscription parse(String topic, String deviceId) {
        if (topic == null || !topic.startsWith(PREFIX)) {
            return null;
        }
        int slash = topic.indexOf('/', PREFIX.length());
        if (slash < 0) {
            return null;
        }
        String appId = topic.substring(PREFIX.length(), slash);
        String rest = topic.substring(slash + 1);
        if (rest.equals("broadcast")) {
            return new Subscription(appId, true);
        }
        if (rest.equals("devices/" + deviceId)) {
            return new Subscription(appId, false);
        }
        return null;
    }

    /** The app named by an uplink topic, or {@code null}. */
    static String uplinkApp(String topic) {
        if (topic == null || !topic.startsWith(PREFIX) || !topic.endsWith("/up")) {
            return null;
        }
        String appId = topic.substring(PREFIX.length(), topic.length() - "/up".length());
        return appId.isEmpty() || appId.indexOf('/') >= 0 ? null : appId;
    }

    record Subscription(String appId, boolean broadcast) {
    }
}
