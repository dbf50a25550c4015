package dev.herald.api.demo;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The browser demo page is a static file, {@code static/demo/index.html}, and WebFlux maps no directory to
 * its index file: {@code /demo/}, the address the README gives, would answer 404. Both {@code /demo} and
 * {@code /demo/} redirect to the file (query kept). A redirect rather than a forward, so the page's relative
 * links ({@code herald-device.js}) resolve under {@code /demo/} whichever address was typed.
 */
@Configuration(proxyBeanMethods = false)
public class DemoPageRoutes {

    static final String PAGE = "/demo/index.html";

    @Bean
    RouterFunction<ServerResponse> demoPageIndex() {
        return RouterFunctions.route(GET("/demo").or(GET("/demo/")), request -> ServerResponse
                .status(HttpStatus.FOUND)
                .location(UriComponentsBuilder.fromPath(PAGE).query(request.uri().getRawQuery()).build(true).toUri())
                .build());
    }
}
