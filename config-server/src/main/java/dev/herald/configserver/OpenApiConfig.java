package dev.herald.configserver;

import dev.herald.configserver.problem.ProblemDocument;
import dev.herald.web.openapi.ApiDocumentation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * What the admin API's OpenAPI description says (served at {@code /v3/api-docs}, Swagger UI at
 * {@code /swagger-ui.html}); web-support builds it. The problem answers every admin operation shares (401,
 * 500, 503) are listed here once instead of on each operation.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    public static final String SECURITY_SCHEME = "adminToken";

    static {
        // Config values are free JSON objects: describe Jackson 3's JsonNode as one instead of introspecting it.
        // (Properties of this type also need @Schema(types = "object"); `type` is not honoured with OpenAPI 3.1.)
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
    }

    @Bean
    ApiDocumentation adminApiDocumentation() {
        return new ApiDocumentation("Herald Config Admin API", """
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
                Map.of(SECURITY_SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("The admin token (herald.config-server.admin-token) as a bearer token.")),
                "/admin/", ProblemDocument.class,
                Map.of("401", ApiDocumentation.problem("Missing or wrong admin token (`UNAUTHORIZED`), with "
                                + "`WWW-Authenticate: Bearer realm=\"herald-admin\"`.")
                                .addHeaderObject("WWW-Authenticate", new Header()
                                        .description("The authentication scheme to use")
                                        .schema(new StringSchema()._default("Bearer realm=\"herald-admin\""))),
                        "500", ApiDocumentation.problem("An unexpected error; it is logged (`INTERNAL_ERROR`), or a "
                                + "node holds data not written by the config-server (`CORRUPT_NODE`)."),
                        "503", ApiDocumentation.problem("ZooKeeper is unreachable (`UNAVAILABLE`). Retry after the "
                                + "`Retry-After` seconds; after a failed write, read the node: its version tells "
                                + "whether the write was applied.")
                                .addHeaderObject("Retry-After", new Header()
                                        .description("Seconds to wait before retrying")
                                        .schema(new StringSchema().example("1")))));
    }
}
