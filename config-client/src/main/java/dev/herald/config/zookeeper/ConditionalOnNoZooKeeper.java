package dev.herald.config.zookeeper;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/** Matches when {@code herald.zookeeper.connect-string} is absent or blank: the static-configuration mode. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(ZooKeeperConfiguredCondition.Absent.class)
public @interface ConditionalOnNoZooKeeper {
}
