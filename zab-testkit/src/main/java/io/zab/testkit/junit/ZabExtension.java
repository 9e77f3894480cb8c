package io.zab.testkit.junit;

import io.zab.StateMachine;
import io.zab.testkit.NodeCluster;
import io.zab.testkit.SimCluster;
import io.zab.testkit.timeline.Timeline;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link ZabTest}: makes the clusters, closes them, and reports a failed test's
 * timeline (and, for a simulation, its seed and replay command). Register it with {@code @ZabTest}.
 */
public final class ZabExtension implements ParameterResolver, AfterTestExecutionCallback, AfterEachCallback {
  /** Made by JUnit for {@code @ZabTest} ({@code @ExtendWith}); not meant to be made by hand. */
  public ZabExtension() {}

  /** Where failure reports go: a JUnit configuration parameter or system property (default target/zab-timelines). */
  public static final String TIMELINE_DIR = "zab.timeline.dir";
  /** Overrides every {@link ZabTest#seed()}: set it to replay a failed simulation. */
  public static final String SEED = "zab.sim.seed";

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ZabExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == NodeCluster.class || type == SimCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException("@ZabTest makes one cluster per test: declare the "
          + parameter.getParameter().getType().getSimpleName() + " on the test method or a @BeforeEach method,"
          + " not on " + parameter.getDeclaringExecutable());
    }
    ZabTest settings = settings(context);
    ExtensionContext.Store store = context.getStore(NS);
    if (parameter.getParameter().getType() == NodeCluster.class) {
      return store.getOrComputeIfAbsent(NodeCluster.class, k -> nodeCluster(settings, context), NodeCluster.class);
    }
    return store.getOrComputeIfAbsent(SimCluster.class, k -> simCluster(settings, context), SimCluster.class);
  }

  private static NodeCluster nodeCluster(ZabTest s, ExtensionContext context) {
    NodeCluster.Builder b = NodeCluster.builder().servers(s.servers()).tick(Duration.ofMillis(s.tickMillis()))
        .stateMachine(stateMachines(s.stateMachine())).name(testName(context));
    if (s.netty()) {
      b.overNetty();
    }
    NodeCluster cluster = b.build();
    if (s.start()) {
      try {
        cluster.startAll();
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
    }
    return cluster;
  }

  private static SimCluster simCluster(ZabTest s, ExtensionContext context) {
    SimCluster cluster = SimCluster.builder().servers(s.servers()).seed(seed(s, context))
        .stateMachine(stateMachines(s.stateMachine())).build();
    return s.start() ? cluster.startAll() : cluster;
  }

  private static long seed(ZabTest s, ExtensionContext context) {
    Optional<String> override = setting(context, SEED);
    if (override.isEmpty()) {
      return s.seed();
    }
    try {
      return Long.parseLong(override.get().trim());
    } catch (NumberFormatException e) {
      throw new ParameterResolutionException("-D" + SEED + " must be an integer, got '" + override.get() + "'");
    }
  }

  private static Supplier<StateMachine> stateMachines(Class<? extends StateMachine> type) {
    try {
      var constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      constructor.newInstance(); // fail now, in the test's setup, rather than on a node's thread
      return () -> {
        try {
          return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot make a " + type.getName(), e);
        }
      };
    } catch (NoSuchMethodException e) {
      throw new ParameterResolutionException("@ZabTest(stateMachine = " + type.getSimpleName() + ".class) needs a"
          + " no-argument constructor");
    } catch (InvocationTargetException e) {
      throw new ParameterResolutionException("the constructor of " + type.getName() + " threw " + e.getCause(), e);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ParameterResolutionException("cannot make a " + type.getName() + ": " + e, e);
    }
  }

  /** The method's {@link ZabTest}, else the nearest enclosing class's (nested classes included). */
  private static ZabTest settings(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<AnnotatedElement> element = c.get().getElement();
      if (element.isPresent()) {
        Optional<ZabTest> found = AnnotationSupport.findAnnotation(element.get(), ZabTest.class);
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
    return Defaults.class.getAnnotation(ZabTest.class);
  }

  @ZabTest
  private static final class Defaults {}

  /** Right after the test method, before any {@code @AfterEach}: the timeline as it was when the test failed. */
  @Override
  public void afterTestExecution(ExtensionContext context) {
    Optional<Throwable> failure = context.getExecutionException();
    if (failure.isEmpty()) {
      return;
    }
    ExtensionContext.Store store = context.getStore(NS);
    NodeCluster node = store.get(NodeCluster.class, NodeCluster.class);
    SimCluster sim = store.get(SimCluster.class, SimCluster.class);
    List<String> lines = new ArrayList<>();
    if (node != null) {
      lines.addAll(report(context, failure.get(), node.timeline(), "NodeCluster", List.of("servers: " + node.describe())));
    }
    if (sim != null) {
      String replay = ReplayCommand.of(Path.of("").toAbsolutePath(), context.getRequiredTestClass().getName(),
          context.getRequiredTestMethod().getName(), sim.seed());
      lines.addAll(report(context, failure.get(), sim.timeline(), "SimCluster",
          List.of("seed: " + sim.seed(), "replay: " + replay, "servers: " + sim.describe())));
    }
    if (!lines.isEmpty()) {
      String text = "zab: " + testName(context) + " failed\n  " + String.join("\n  ", lines);
      System.out.println(text);
      failure.get().addSuppressed(new ZabTestReport(text));
      context.publishReportEntry("zab", String.join("; ", lines));
    }
  }

  private static List<String> report(ExtensionContext context, Throwable failure, Timeline timeline, String kind,
      List<String> facts) {
    List<String> lines = new ArrayList<>(facts);
    Path dir = setting(context, TIMELINE_DIR).map(Path::of).orElseGet(ZabExtension::defaultReportDir);
    String file = context.getRequiredTestClass().getName() + "." + context.getRequiredTestMethod().getName()
        + (kind.equals("SimCluster") ? ".sim" : "") + ".html";
    List<String> header = new ArrayList<>();
    header.add(testName(context) + " failed: " + failure);
    header.addAll(facts);
    try {
      Path written = timeline.titled(kind + " of " + testName(context)).writeHtml(dir.resolve(file), header);
      lines.add(0, "timeline: " + written.toAbsolutePath().toUri());
    } catch (IOException e) {
      lines.add(0, "timeline: could not be written to " + dir + ": " + e);
    }
    return lines;
  }

  private static Path defaultReportDir() {
    for (String build : List.of("target", "build")) {
      if (Path.of(build).toFile().isDirectory()) {
        return Path.of(build, "zab-timelines");
      }
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "zab-timelines");
  }

  private static Optional<String> setting(ExtensionContext context, String key) {
    Optional<String> value = context.getConfigurationParameter(key);
    if (value.isEmpty()) {
      value = Optional.ofNullable(System.getProperty(key));
    }
    return value.filter(v -> !v.isBlank());
  }

  private static String testName(ExtensionContext context) {
    return context.getRequiredTestClass().getSimpleName()
        + context.getTestMethod().map(m -> "." + m.getName()).orElse("");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NS);
    NodeCluster node = store.remove(NodeCluster.class, NodeCluster.class);
    if (node != null) {
      node.close();
    }
    store.remove(SimCluster.class, SimCluster.class);
  }

  /** Attached to a failed test's exception: where its timeline is, and how to replay a simulation. */
  public static final class ZabTestReport extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ZabTestReport(String text) {
      super(text, null, false, false);
    }
  }
}
