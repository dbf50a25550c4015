package dev.herald.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Runs an end-to-end test class against {@link HeraldSuite} on a three-master Redis Cluster instead of one
 * redis-server. Put it on a subclass of an existing test class, so that the same test bodies prove that
 * every key keeps its hash tag and no command or script mixes slots (docs/architecture.md, "Redis keys").
 * The tag keeps these classes in a surefire execution of their own (e2e-tests/pom.xml).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(OnRedisCluster.TAG)
@interface OnRedisCluster {

    String TAG = "redis-cluster";
}
