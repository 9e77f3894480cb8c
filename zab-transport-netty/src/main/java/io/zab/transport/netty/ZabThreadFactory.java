package io.zab.transport.netty;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.zab.ZabThreads;

/**
 * The event-loop threads of one transport: Netty's naming ({@code zab-netty-<id>-<pool>-<n>}) and its fast
 * thread-locals, with the server id in the slf4j MDC ({@link ZabThreads#MDC_KEY}) for the thread's whole life.
 */
final class ZabThreadFactory extends DefaultThreadFactory {
  private final long serverId;

  ZabThreadFactory(long serverId) {
    super("zab-netty-" + serverId, false);
    this.serverId = serverId;
  }

  @Override
  protected Thread newThread(Runnable r, String name) {
    return super.newThread(ZabThreads.withServerId(serverId, r), name);
  }
}
