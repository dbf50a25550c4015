package dev.herald.configserver;

import dev.herald.configserver.problem.ProblemDocument;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI description served at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}). The problem
 * answers every admin operation shares (401, 500, 503) are added here once instead of on each operation.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Herald Config Admin API", version = "v1",
        description = """
                Administration of Herald's configuration tree in ZooKeeper: apps, the IP blacklist and global \
                settings. Every service applies a change within seconds, without restart. The cluster API lists the \
                running instances with their health, metrics and client pools, and relays their profiling snapshots \
                (what the ops console at `/console/` shows).

                Every node has a version (ZooKeeper's): send the version you read as `expectedVersion` to change or \
                delete it; a stale version answers 409 and changes nothing. Previous documents are kept in the \
                node's history. Set `X-Herald-Operator` to record who made a change.

                Authenticate with the admin token: `Authorization: Bearer <token>` \
                (`herald.config-server.admin-token`).

                Errors are RFC 9457 problem documents (`application/problem+json`) with a machine-readable `code`.""",
        license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")))
@SecurityScheme(name = OpenApiConfig.SECURITY_SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The admin token (herald.config-server.admin-token) as a bearer token.")
public class OpenApiConfig {

    public static final String SECURITY_SCHEME = "adminToken";
    public static final String PROBLEM_SCHEMA = "Problem";
    public static final String PROBLEM_SCHEMA_REF = "#/components/schemas/" + PROBLEM_SCHEMA;

    static {
        // Config values are free JSON objects: describe Jackson 3's JsonNode as one instead of introspecting it.
        // (Properties of this type also need @Schema(types = "object"); `type` is not honoured with OpenAPI 3.1.)
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
    }

    @Bean
    OpenApiCustomizer commonProblemResponses() {
        return openApi -> {
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.setComponents(components);
            for (Map.Entry<String, Schema> schema : ModelConverters.getInstance().read(ProblemDocument.class).entrySet()) {
                components.addSchemas(schema.getKey(), schema.getValue());
            }
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
                if (path.startsWith("/admin/")) {
                    item.readOperations().forEach(OpenApiConfig::addCommonProblems);
                }
            });
        };
    }

    private static void addCommonProblems(Operation operation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        responses.addApiResponse("401", problem("Missing or wrong admin token (`UNAUTHORIZED`), with "
                + "`WWW-Authenticate: Bearer realm=\"herald-admin\"`.")
                .addHeaderObject("WWW-Authenticate", new Header().description("The authentication scheme to use")
                        .schema(new StringSchema()._default("Bearer realm=\"herald-admin\""))));
        responses.addApiResponse("500", problem("An unexpected error; it is logged (`INTERNAL_ERROR`), or a node "
                + "holds data not written by the config-server (`CORRUPT_NODE`)."));
        responses.addApiResponse("503", problem("ZooKeeper is unreachable (`UNAVAILABLE`). Retry after the "
                + "`Retry-After` seconds; after a failed write, read the node: its version tells whether the write "
                + "was applied.")
                .addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying")
                        .schema(new StringSchema().example("1"))));
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref(PROBLEM_SCHEMA_REF))));
    }
}
