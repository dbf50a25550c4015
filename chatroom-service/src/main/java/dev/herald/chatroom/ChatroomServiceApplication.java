package dev.herald.chatroom;

import dev.herald.core.app.AppCatalog;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableConfigurationProperties(AppCatalog.class)
public class ChatroomServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChatroomServiceApplication.class, args);
    }
}
