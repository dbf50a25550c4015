package dev.herald.bench.scenario;

/**
 * Everything one run needs, as given on the command line or in a distributed task (where it is built
 * by parsing the task's arguments with the same command, so defaults and checks are the same).
 *
 * @param scenario {@code connect}, {@code broadcast}, {@code unicast} or {@code room}
 * @param holdSeconds connect: how long to hold the connections once all are open
 */
public record ScenarioSpec(String scenario, DeviceSpec devices, SendSpec send, NodeSpec node, double holdSeconds) {

    public ScenarioSpec withDevices(DeviceSpec devices) {
        return new ScenarioSpec(scenario, devices, send, node, holdSeconds);
    }

    /** The same with the app secret masked: what reports show. */
    public ScenarioSpec redacted() {
        DeviceSpec d = devices;
        return withDevices(new DeviceSpec(d.protocol(), d.access(), d.app(), "***", d.devicePrefix(), d.devices(),
                d.firstDevice(), d.connectRate(), d.inFlight(), d.sourceAddresses(), d.eventLoops(), d.connectTimeoutSeconds(), d.room(), d.tls()));
    }
}
