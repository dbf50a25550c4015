package dev.herald.core.message;

/** Who a message is for. */
public enum TargetKind {
    /** One device. */
    DEVICE,
    /** An explicit list of devices. */
    DEVICES,
    /** Every device of the app. */
    BROADCAST
}
