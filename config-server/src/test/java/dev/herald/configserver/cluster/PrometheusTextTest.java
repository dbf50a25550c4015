package dev.herald.configserver.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void sumsTheSeriesOfOneNameWhoseLabelsMatch() {
        PrometheusText text = PrometheusText.parse("""
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 100.0
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 50.5
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 1000.0
                jvm_memory_used_bytes_extra{area="heap"} 7.0
                """);
        assertThat(text.sum("jvm_memory_used_bytes", Map.of("area", "heap"))).hasValue(150.5);
        assertThat(text.sum("jvm_memory_used_bytes")).hasValue(1150.5);
        assertThat(text.sum("missing")).isEmpty();
    }

    @Test
    void readsEscapedLabelValuesSpecialNumbersAndTimestamps() {
        PrometheusText text = PrometheusText.parse("""
                http_requests{uri="/a,b",note="say \\"hi\\"\\\\ {x}"} 3 1700000000000
                up +Inf
                down NaN
                """);
        assertThat(text.samples()).hasSize(3);
        assertThat(text.samples().get(0).labels()).containsEntry("uri", "/a,b").containsEntry("note", "say \"hi\"\\ {x}");
        assertThat(text.sum("http_requests")).hasValue(3);
        assertThat(text.max("up")).hasValue(Double.POSITIVE_INFINITY);
        assertThat(text.sum("down")).as("NaN is no value").isEmpty();
    }

    @Test
    void skipsLinesItCannotRead() {
        PrometheusText text = PrometheusText.parse("""
                broken{a="1" 2
                also_broken{a=1} 2
                no_value
                fine 4
                """);
        assertThat(text.samples()).extracting(PrometheusText.Sample::name).containsExactly("fine");
    }
}
