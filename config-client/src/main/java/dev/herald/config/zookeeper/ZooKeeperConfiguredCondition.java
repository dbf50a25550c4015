package dev.herald.config.zookeeper;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Whether ZooKeeper is configured. {@code @ConditionalOnProperty} would not do: it treats an empty
 * value as set, and an empty connect string is how ZooKeeper is switched off.
 */
class ZooKeeperConfiguredCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return configured(context)
                ? ConditionOutcome.match(HeraldZooKeeperProperties.CONNECT_STRING + " is set")
                : ConditionOutcome.noMatch(HeraldZooKeeperProperties.CONNECT_STRING + " is not set");
    }

    static boolean configured(ConditionContext context) {
        return StringUtils.hasText(context.getEnvironment().getProperty(HeraldZooKeeperProperties.CONNECT_STRING));
    }

    static final class Absent extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return configured(context)
                    ? ConditionOutcome.noMatch(HeraldZooKeeperProperties.CONNECT_STRING + " is set")
                    : ConditionOutcome.match(HeraldZooKeeperProperties.CONNECT_STRING + " is not set");
        }
    }
}
