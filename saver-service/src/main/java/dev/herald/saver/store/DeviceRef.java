package dev.herald.saver.store;

/** A device of an app: the unit that owns a pending set, a cursor and an acknowledged-ids set. */
record DeviceRef(String appId, String deviceId) {
}
