package dev.herald.api.room;

import dev.herald.api.PushApiProperties;
import dev.herald.ops.internal.ServiceKey;
import dev.herald.ops.pools.ClientPools;
import dev.herald.ops.pools.HttpClientPool;
import dev.herald.ops.pools.HttpPoolSettings;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/** Makes the {@link ChatroomClient} proxy: WebClient on the {@code chatroom} pool, service key, {@link ChatroomCallPolicy}. */
@Configuration(proxyBeanMethods = false)
class ChatroomClientConfiguration {

    /** Room calls are small and short: a modest pool carries them ({@code chatroom} in {@code /actuator/pools}). */
    static final int MAX_CONNECTIONS = 64;

    @Bean
    ChatroomClient chatroomClient(PushApiProperties properties, ClientPools pools, ServiceKey serviceKey) {
        HttpClientPool pool = pools.http("chatroom", HttpPoolSettings.of(MAX_CONNECTIONS, properties.chatroomTimeout()));
        return create(properties.chatroomUrl(), properties.chatroomTimeout(), pool, serviceKey);
    }

    static ChatroomClient create(String baseUrl, Duration timeout, HttpClientPool pool, ServiceKey serviceKey) {
        // Boot 4 auto-configures no WebClient.Builder here; the client is built directly.
        WebClient web = serviceKey.authenticate(WebClient.builder())
                .clientConnector(new ReactorClientHttpConnector(pool.httpClient()))
                .baseUrl(baseUrl).build();
        return HttpServiceProxyFactory.builderFor(WebClientAdapter.create(web))
                .exchangeAdapterDecorator(adapter -> new ChatroomCallPolicy(adapter, timeout))
                .build().createClient(ChatroomClient.class);
    }
}
