package dev.herald.bench.cli;

import dev.herald.bench.report.Report;
import dev.herald.bench.report.ReportWriter;
import dev.herald.bench.scenario.NodeSpec;
import dev.herald.bench.scenario.PushApiClient;
import dev.herald.bench.scenario.ScenarioRunner;
import dev.herald.bench.scenario.ScenarioSpec;
import dev.herald.bench.scenario.SendSpec;
import dev.herald.bench.worker.SocketBudget;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * What every scenario command shares: device and run options, running the scenario on local or forked
 * workers, printing one line per phase and writing the JSON report.
 */
abstract class ScenarioCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions devices;

    @Mixin
    RunOptions run;

    /** The scenario's settings; also what a distributed task is made of. */
    abstract ScenarioSpec spec();

    static SendSpec send(SendOptions o, int messages, boolean burst, int warmup, double rate, double durationSeconds) {
        return send(o, messages, burst, warmup, rate, durationSeconds, 1);
    }

    static SendSpec send(SendOptions o, int messages, boolean burst, int warmup, double rate, double durationSeconds,
                         int batch) {
        o.check();
        return new SendSpec(o.api, o.key, messages, burst, warmup, o.payloadBytes, o.offline, o.ttlSeconds, rate,
                durationSeconds, o.concurrency, o.drainSeconds, batch, o.auth());
    }

    static SendSpec noSend() {
        return new SendSpec("", "", 0, false, 0, 0, false, 0, 0, 0, 1, 0, 1, PushApiClient.Auth.SIGNED);
    }

    static NodeSpec noNode() {
        return new NodeSpec("", 0);
    }

    @Override
    public Integer call() throws Exception {
        ScenarioSpec spec = spec();
        SocketBudget.check(spec.devices().devices(), run.processes);
        Path file = run.reportFile(spec.scenario());
        Report report = ScenarioRunner.run(spec, run.workers(spec.scenario()), System.out, run.gcLogs());
        ReportWriter.write(report, file);
        System.out.println("report: " + file.toAbsolutePath());
        return 0;
    }
}
