package dev.herald.web.openapi;

import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;

/**
 * What a service says about its HTTP API; declared as a bean, it is all a service writes of its OpenAPI
 * set-up ({@link ApiDocumentationAutoConfiguration} does the rest). The description is served at
 * {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}).
 *
 * @param title           the API's name
 * @param description     what it is for and how to authenticate (Markdown)
 * @param securitySchemes the ways to authenticate, by the names operations refer to
 * @param pathPrefix      the operations that share {@code commonProblems}: those below this path
 * @param problemSchema   the record documenting the service's problem document; its {@code @Schema} is named
 *                        {@value #PROBLEM_SCHEMA}
 * @param commonProblems  problem answers every operation below {@code pathPrefix} may give, by status code,
 *                        written once here instead of on each operation ({@link #problem})
 */
public record ApiDocumentation(
        String title,
        String description,
        Map<String, SecurityScheme> securitySchemes,
        String pathPrefix,
        Class<?> problemSchema,
        Map<String, ApiResponse> commonProblems) {

    /** Name of the problem document's schema. */
    public static final String PROBLEM_SCHEMA = "Problem";
    /** Reference to the problem document's schema, for operations' {@code @Schema(ref = ...)}. */
    public static final String PROBLEM_SCHEMA_REF = "#/components/schemas/" + PROBLEM_SCHEMA;

    public ApiDocumentation {
        securitySchemes = Map.copyOf(securitySchemes);
        commonProblems = Map.copyOf(commonProblems);
    }

    /** An answer that is a problem document, for {@code commonProblems}. */
    public static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref(PROBLEM_SCHEMA_REF))));
    }
}
