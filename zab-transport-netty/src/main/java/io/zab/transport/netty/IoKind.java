package io.zab.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The I/O flavour: native epoll on Linux when it loads, NIO otherwise. */
record IoKind(String name, IoHandlerFactory handlers, Class<? extends ServerChannel> serverChannel,
    Class<? extends Channel> channel) {
  private static final Logger log = LoggerFactory.getLogger(IoKind.class);

  static IoKind choose(boolean preferNative) {
    if (!preferNative) {
      log.info("zab transport uses NIO (native I/O disabled in the configuration)");
      return nio();
    }
    if (Epoll.isAvailable()) {
      log.info("zab transport uses native epoll");
      return new IoKind("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
          EpollSocketChannel.class);
    }
    log.info("zab transport uses NIO (native epoll unavailable: {})", String.valueOf(Epoll.unavailabilityCause()));
    return nio();
  }

  private static IoKind nio() {
    return new IoKind("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
  }
}
