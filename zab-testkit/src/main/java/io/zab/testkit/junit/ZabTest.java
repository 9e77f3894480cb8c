package io.zab.testkit.junit;

import io.zab.StateMachine;
import io.zab.testkit.RecordingStateMachine;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test a fresh cluster per test method: declare a {@code NodeCluster} (real nodes) or a
 * {@code SimCluster} (simulated) parameter on the test method or a {@code @BeforeEach} method. The cluster
 * is closed after the test. When the test fails, the cluster's timeline is written to an HTML file
 * ({@code target/zab-timelines/Class.method.html}, or {@code -Dzab.timeline.dir=DIR}) and its path is
 * printed and attached to the failure (as a suppressed exception); for a {@code SimCluster} the failure also
 * names the seed and the command that replays it.
 *
 * <pre>{@code
 * @ZabTest(servers = 3)
 * class FailoverTest {
 *   @Test
 *   void aNewLeaderTakesOver(NodeCluster cluster) {
 *     long old = cluster.awaitLeader();
 *     cluster.isolate(old);
 *     assertThat(cluster.awaitLeader()).isNotEqualTo(old);
 *   }
 *
 *   @Test
 *   @ZabTest(servers = 5, seed = 42)   // a method's annotation overrides the class's
 *   void simulated(SimCluster cluster) {
 *     cluster.runUntilStable();
 *   }
 * }
 * }</pre>
 *
 * <p>Needs {@code org.junit.jupiter:junit-jupiter} on the test classpath (the test kit does not bring it).
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ZabExtension.class)
public @interface ZabTest {
  /**
   * Number of servers, ids 1..servers.
   *
   * @return the cluster's size (default 3)
   */
  int servers() default 3;

  /**
   * Each server's state machine: a class with a public no-argument constructor.
   *
   * @return the state machine's class, made once per server (default {@link RecordingStateMachine})
   */
  Class<? extends StateMachine> stateMachine() default RecordingStateMachine.class;

  /**
   * Start every server before the test (false: the test starts them, e.g. one by one for S3).
   *
   * @return whether the servers are started for the test (default true)
   */
  boolean start() default true;

  /**
   * SimCluster: the seed of the run; {@code -Dzab.sim.seed=S} overrides it (that is how a failure is replayed).
   *
   * @return the simulation's seed (default 1)
   */
  long seed() default 1;

  /**
   * NodeCluster: the protocol tick in milliseconds ({@code NodeCluster.Builder.tick}; an annotation cannot hold a
   * {@code Duration}).
   *
   * @return the tick in milliseconds (default 20)
   */
  long tickMillis() default 20;

  /**
   * NodeCluster: connect the servers with Netty on loopback instead of the in-JVM network (no partitions then).
   *
   * @return whether the servers talk over Netty (default false; needs {@code io.zab:zab-transport-netty})
   */
  boolean netty() default false;
}
