package dev.herald.api;

import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tighter parser limits than Jackson's defaults for everything push-api reads as JSON (request bodies
 * through the WebFlux codecs, which use the application's {@link JsonMapper}). Requests are flat objects
 * of depth 2; a body nested deeper than {@value #MAX_NESTING_DEPTH} levels, or with a member name longer
 * than {@value #MAX_NAME_LENGTH} characters or a number longer than {@value #MAX_NUMBER_LENGTH} digits,
 * is an attack on the parser and is answered 400 {@code MALFORMED_REQUEST} before it costs more. The size
 * of a body is bounded separately ({@code spring.http.codecs.max-in-memory-size}, 413).
 *
 * <p>The constraints live on the stream factory, which a {@link JsonMapperBuilderCustomizer} cannot
 * change, so this replaces Boot's builder (it backs off when one is defined) and still applies every
 * customizer, Boot's own included.
 */
@Configuration(proxyBeanMethods = false)
public class JsonReadLimits {

    public static final int MAX_NESTING_DEPTH = 16;
    public static final int MAX_NAME_LENGTH = 256;
    public static final int MAX_NUMBER_LENGTH = 32;

    @Bean
    @Scope("prototype")
    JsonMapper.Builder jsonMapperBuilder(List<JsonMapperBuilderCustomizer> customizers) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .build();
        JsonMapper.Builder builder = JsonMapper.builder(factory);
        for (JsonMapperBuilderCustomizer customizer : customizers) {
            customizer.customize(builder);
        }
        return builder;
    }
}
