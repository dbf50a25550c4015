package dev.herald.dispatcher;

import dev.herald.core.offline.SaverClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration(proxyBeanMethods = false)
class DispatcherConfiguration {

    /**
     * Boot 4 auto-configures no {@code WebClient.Builder} without its webclient module, so the builder is
     * made here with Boot's codec customizers: the saver's JSON goes through the application's JsonMapper.
     */
    @Bean
    SaverClient saverClient(ObjectProvider<CodecCustomizer> codecCustomizers, DispatcherProperties properties) {
        WebClient.Builder builder = WebClient.builder()
                .codecs(codecs -> codecCustomizers.orderedStream().forEach(c -> c.customize(codecs)));
        return new SaverClient(builder, properties.saverUrl().toString(), properties.saverTimeout());
    }
}
