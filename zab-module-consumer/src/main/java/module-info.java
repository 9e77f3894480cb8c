/**
 * A service that depends on zab as a named module would: compiled in every build (module zab-module-consumer)
 * against zab's jars on the module path, so a type of the public API that moves to an internal
 * package, or a module that stops exporting what embedding needs, fails the build here. docs/embedding.md,
 * "Depending on zab", shows the same declaration.
 */
module io.zab.examples.consumer {
  requires io.zab.core;
  requires io.zab.transport.netty;
  requires io.zab.metrics.micrometer;
}
