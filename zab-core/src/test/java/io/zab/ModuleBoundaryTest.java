package io.zab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The io.zab.core module boundary as a consumer on the module path sees it: the API packages are exported to
 * everyone, the protocol, runtime and storage packages only to zab's own modules, and a module that
 * {@code requires io.zab.core} can configure, start and use a node with the exported packages alone.
 */
class ModuleBoundaryTest {

  @TempDir
  Path dir;

  @Test
  void exportsTheApiToEveryoneAndInternalsOnlyToZabModules() {
    ModuleDescriptor core = ZabNode.class.getModule().getDescriptor();
    assertThat(core).as("the tests run on the module path, patched into io.zab.core").isNotNull();
    assertThat(core.name()).isEqualTo("io.zab.core");
    Map<String, Set<String>> exports = new TreeMap<>();
    for (ModuleDescriptor.Exports e : core.exports()) {
      exports.put(e.source(), e.isQualified() ? new java.util.TreeSet<>(e.targets()) : Set.of("*"));
    }
    assertThat(exports).containsExactlyInAnyOrderEntriesOf(Map.of(
        "io.zab", Set.of("*"),
        "io.zab.metrics", Set.of("*"),
        "io.zab.transport", Set.of("*"),
        "io.zab.wire", Set.of("*"),
        "io.zab.runtime", Set.of("io.zab.transport.netty"),
        "io.zab.protocol", Set.of("io.zab.testkit"),
        "io.zab.storage", Set.of("io.zab.testkit")));
    assertThat(core.opens()).as("nothing is open to reflection").isEmpty();
  }

  @Test
  void aConsumerModuleBuildsAndRunsANodeWithTheApiAlone() throws Exception {
    List<Diagnostic<? extends JavaFileObject>> errors = compileConsumer("""
        package consumer;

        import io.zab.FileSyncer;
        import io.zab.Member;
        import io.zab.StateMachine;
        import io.zab.Timeouts;
        import io.zab.ZabNode;
        import io.zab.ZabStatus;
        import io.zab.Zxid;
        import io.zab.metrics.ZabMetrics;
        import io.zab.transport.LocalNetwork;
        import java.io.InputStream;
        import java.io.OutputStream;
        import java.nio.ByteBuffer;
        import java.nio.file.Path;
        import java.time.Duration;
        import java.util.List;
        import java.util.concurrent.CompletableFuture;

        public final class Consumer implements StateMachine {
          public static CompletableFuture<Zxid> run(Path dir) throws Exception {
            ZabNode node = ZabNode.builder().serverId(1).members(List.of(Member.local(1))).dataDir(dir)
                .transport(LocalNetwork.create()::transport).stateMachine(new Consumer())
                .tick(Duration.ofMillis(20)).timeouts(Timeouts.defaults().withSyncLimit(Duration.ofSeconds(3)))
                .statusPeriod(Duration.ofSeconds(1)).metrics(ZabMetrics.none()).fileSyncer(FileSyncer.SYSTEM)
                .build();
            node.start();
            ZabStatus status = node.status(); // the API types compile from a module of its own
            return node.submit(new byte[] {1}).whenComplete((z, e) -> node.close());
          }

          @Override public void apply(Zxid zxid, ByteBuffer txn) {}
          @Override public void snapshot(OutputStream out) {}
          @Override public void restore(InputStream in) {}
        }
        """);
    assertThat(errors).as("compile errors").isEmpty();

    // Run it as a module of its own layer on top of this one (which holds io.zab.core): a one-server ensemble.
    Configuration config = ModuleLayer.boot().configuration()
        .resolve(ModuleFinder.of(dir.resolve("out")), ModuleFinder.of(), Set.of("consumer"));
    ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(config, ClassLoader.getSystemClassLoader());
    Object result = layer.findLoader("consumer").loadClass("consumer.Consumer").getMethod("run", Path.class)
        .invoke(null, dir.resolve("data"));
    Zxid written = ((CompletableFuture<?>) result).thenApply(Zxid.class::cast).get(20, TimeUnit.SECONDS);
    assertThat(written.counter()).isEqualTo(1);
  }

  @Test
  void aConsumerModuleCannotReachTheInternalPackages() throws IOException {
    List<Diagnostic<? extends JavaFileObject>> errors = compileConsumer("""
        package consumer;

        public final class Consumer {
          io.zab.protocol.Timing timing;
          io.zab.runtime.NodeRuntime runtime;
          io.zab.storage.TxnLog log;
        }
        """);
    assertThat(errors.stream().map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.toList()))
        .anySatisfy(m -> assertThat(m).contains("package io.zab.protocol is not visible"))
        .anySatisfy(m -> assertThat(m).contains("package io.zab.runtime is not visible"))
        .anySatisfy(m -> assertThat(m).contains("package io.zab.storage is not visible"));
  }

  /** Compiles module {@code consumer} ({@code requires io.zab.core}) into {@code out}, with zab-core and slf4j on the module path. */
  private List<Diagnostic<? extends JavaFileObject>> compileConsumer(String consumerSource) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/consumer"));
    Files.writeString(dir.resolve("src/module-info.java"),
        "module consumer { requires io.zab.core; exports consumer; }\n");
    Files.writeString(src.resolve("Consumer.java"), consumerSource);
    Path out = Files.createDirectories(dir.resolve("out"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options = List.of("--release", "17", "-d", out.toString(), "--module-path",
          location(ZabNode.class) + java.io.File.pathSeparator + location(org.slf4j.Logger.class));
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(dir.resolve("src/module-info.java"),
          src.resolve("Consumer.java"));
      javac.getTask(null, files, diagnostics, options, null, units).call();
    }
    return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
  }

  /** Where a class was loaded from: zab-core's classes directory (or jar), slf4j's jar. */
  private static Path location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
