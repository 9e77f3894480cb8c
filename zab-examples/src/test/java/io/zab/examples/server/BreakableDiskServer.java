package io.zab.examples.server;

import io.zab.FileSyncer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * {@code ZabKvServer} exactly as its {@code main} runs it, except that every fsync fails once the file
 * {@code <data-dir>/../break-disk} exists: lets a test see the process exit after a fatal error.
 */
public final class BreakableDiskServer {
  private BreakableDiskServer() {}

  public static void main(String[] args) throws Exception {
    ZabKvServer server = new ZabKvServer();
    new CommandLine(server).parseArgs(args);
    Path trigger = server.dataDir.toAbsolutePath().getParent().resolve("break-disk");
    FileSyncer disk = new FileSyncer() {
      @Override
      public void syncData(FileChannel channel) throws IOException {
        if (Files.exists(trigger)) {
          throw new IOException("injected fsync failure");
        }
        channel.force(false);
      }
    };
    server.keepRunning(server.start(b -> b.fileSyncer(disk), ZabKvServer::exitBecauseTheNodeFailed));
  }
}
