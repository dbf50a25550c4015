package dev.herald.configserver.console;

import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The ops console: a static page ({@code classpath:/static/console/}) that talks to the admin API with the
 * admin token the operator types in. {@code /console/} serves its page with a Content-Security-Policy that
 * allows only this server's own scripts, styles and API: the page never loads anything from elsewhere and
 * nothing can be injected into it.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleRoutes {

    public static final String PATH = "/console/";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    RouterFunction<ServerResponse> consolePage() {
        Resource page = new ClassPathResource("static/console/index.html");
        return RouterFunctions.route()
                // Relative links in the page (console.js, console.css) resolve below /console/ only with the slash.
                .GET("/console", request -> ServerResponse.status(HttpStatus.PERMANENT_REDIRECT)
                        .location(URI.create(PATH)).build())
                .GET(PATH, request -> ServerResponse.ok()
                        .contentType(MediaType.TEXT_HTML)
                        .cacheControl(CacheControl.noCache())
                        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                        .header("X-Content-Type-Options", "nosniff")
                        .header("Referrer-Policy", "no-referrer")
                        .bodyValue(page))
                .build();
    }
}
