package io.zab.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloorProbesTest {

  @Test
  void aPreallocatedFileKeepsItsSizeAndWrapsAround(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("floor");
    try (GroupCommitFile log = new GroupCommitFile(file, 10)) {
      assertThat(Files.size(file)).isEqualTo(10);
      for (int i = 1; i <= 5; i++) {
        CompletableFuture<Boolean> durable = new CompletableFuture<>();
        log.append(ByteBuffer.wrap(new byte[] {(byte) i, (byte) i, (byte) i}), durable::complete);
        assertThat(durable.get(30, TimeUnit.SECONDS)).isTrue();
      }
    }
    // records 1, 2, 3 at 0, 3, 6; record 4 would end past 10, so it and 5 start over at 0
    assertThat(Files.readAllBytes(file)).containsExactly(4, 4, 4, 5, 5, 5, 3, 3, 3, 0);
  }

  @Test
  void theEchoAnswersEachRecordWithEightBytes() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      Thread echo = new Thread(() -> {
        try {
          LoopbackEcho.serve(accepted, 32);
        } catch (Exception closed) {
          // the test is done
        }
      });
      echo.setDaemon(true);
      echo.start();
      OutputStream out = client.getOutputStream();
      DataInputStream in = new DataInputStream(client.getInputStream());
      byte[] record = new byte[32];
      for (int i = 0; i < 32; i++) {
        record[i] = (byte) i;
      }
      for (int round = 0; round < 3; round++) {
        out.write(record);
        byte[] reply = new byte[LoopbackEcho.REPLY_BYTES];
        in.readFully(reply);
        assertThat(reply).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
      }
    }
  }

  @Test
  void theScaleTableSplitsCpuIntoLeaderFollowersAndServers() {
    LoadResult three = open(3, 300, 120);
    LoadResult five = open(5, 450, 130);
    assertThat(FloorReport.followerMean(three)).hasValueSatisfying(v -> assertThat(v).isEqualTo(90.0));
    assertThat(FloorReport.perServer(five)).isEqualTo(90.0);
    String md = FloorReport.render(List.of(three, five), List.of(), "1.00 2.00 3.00 → 1.50 2.00 3.00");
    // leader 130 / 120 = 1.08; per server (450 / 5) / (300 / 3) = 0.90; all servers 1.50
    assertThat(md).contains("5 / 3 servers: leader CPU per write **1.08**, per-server CPU per write **0.90**,"
        + " all servers 1.50");
    assertThat(md).contains("| zab | 5000/s | 5 |").doesNotContain("not at equal throughput");
    // 25,000 writes in 4.5 s: 5,556/s, 11% above the 5,000/s asked (a backlog drained in the window)
    LoadResult fast = new LoadResult("zab", "open-5000/s", 4096, 1024, 25_000, 4.5, 0, 900, 4000, 9000, 12_000,
        new LoadResult.Cost(7, 700, 140, 0, 0));
    assertThat(FloorReport.offRate(fast)).isTrue();
    assertThat(FloorReport.offRate(three)).isFalse();
    assertThat(FloorReport.render(List.of(three, fast), List.of(), "n/a"))
        .contains("7 / 3 servers: leader CPU per write **1.17**").contains("**not at equal throughput**");
    assertThat(FloorReport.followerMean(new LoadResult("zab", "open-5000/s", 8, 1024, 1, 1, 0, 1, 1, 1, 1)))
        .isEmpty();
    assertThat(FloorReport.perServer(three)).isCloseTo(100.0, within(1e-9));
  }

  private static LoadResult open(int servers, double allUs, double leaderUs) {
    return new LoadResult("zab", "open-5000/s", 4096, 1024, 25_000, 5.0, 0, 900, 4000, 9000, 12_000,
        new LoadResult.Cost(servers, allUs, leaderUs, 0, 0));
  }
}
