/**
 * zab's core: the embedding API and the SPIs a deployment plugs in; everything else is internal.
 */
@SuppressWarnings("module") // the qualified exports name modules built after this one
module io.zab.core {
  requires org.slf4j;

  exports io.zab;
  exports io.zab.metrics;
  exports io.zab.transport;
  exports io.zab.wire;

  exports io.zab.runtime to io.zab.transport.netty;
  exports io.zab.protocol to io.zab.testkit;
  exports io.zab.storage to io.zab.testkit;
}
