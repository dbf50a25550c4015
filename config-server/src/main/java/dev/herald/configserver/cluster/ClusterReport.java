package dev.herald.configserver.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole cluster at one moment: every registered instance, grouped by cell and then by service.
 *
 * @param checkedAt when the instances were asked
 * @param instances how many are registered
 * @param up        how many answered their health check with {@code UP}
 */
public record ClusterReport(Instant checkedAt, int instances, int up, List<Cell> cells) {

    public record Cell(String cell, List<Service> services) {
    }

    public record Service(String service, List<InstanceReport> instances) {
    }

    static ClusterReport of(Instant checkedAt, List<InstanceReport> reports) {
        Map<String, Map<String, List<InstanceReport>>> grouped = new TreeMap<>();
        for (InstanceReport report : reports) {
            grouped.computeIfAbsent(report.cell(), c -> new TreeMap<>())
                    .computeIfAbsent(report.service(), s -> new ArrayList<>())
                    .add(report);
        }
        List<Cell> cells = grouped.entrySet().stream()
                .map(cell -> new Cell(cell.getKey(), cell.getValue().entrySet().stream()
                        .map(service -> new Service(service.getKey(), List.copyOf(service.getValue())))
                        .toList()))
                .toList();
        int up = (int) reports.stream().filter(r -> InstanceReport.UP.equals(r.status())).count();
        return new ClusterReport(checkedAt, reports.size(), up, cells);
    }
}
