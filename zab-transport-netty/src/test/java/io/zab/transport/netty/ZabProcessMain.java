package io.zab.transport.netty;

import io.zab.Member;
import io.zab.ZabNode;
import io.zab.fixtures.LocalCluster;
import io.zab.fixtures.RecordingStateMachine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One zab server in its own JVM, for the multi-process test: a ZabNode over NettyTransport with mutual TLS,
 * driven by line commands on stdin ({@code submit <payload>}, {@code status}, {@code dump}), answering on stdout.
 *
 * <p>Arguments: sid dataDir certChain privateKey trustBundle members, where members is
 * {@code 1=host:port,2=host:port,...}.
 */
public final class ZabProcessMain {
  private ZabProcessMain() {}

  public static void main(String[] args) throws Exception {
    long sid = Long.parseLong(args[0]);
    List<Member> members = new ArrayList<>();
    for (String m : args[5].split(",")) {
      String[] idAndAddress = m.split("=");
      String[] hostAndPort = idAndAddress[1].split(":");
      members.add(new Member(Long.parseLong(idAndAddress[0]), hostAndPort[0], Integer.parseInt(hostAndPort[1])));
    }
    NettyConfig config = NettyConfig.builder("process-test")
        .tls(new TlsConfig(Path.of(args[2]), Path.of(args[3]), Path.of(args[4])))
        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .build();
    RecordingStateMachine sm = new RecordingStateMachine();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ZabNode node = ZabNode.builder().serverId(sid).members(members).dataDir(Path.of(args[1]))
        .transport(NettyTransport.factory(config)).stateMachine(sm)
        .tick(LocalCluster.TICK).timeouts(LocalCluster.FAST).build();
    node.start();
    out.println("STARTED " + sid);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] cmd = line.split(" ", 2);
      switch (cmd[0]) {
        case "submit" -> node.submit(cmd[1].getBytes(StandardCharsets.UTF_8)).whenComplete((zxid, error) ->
            out.println(error == null ? "ACK " + cmd[1] : "NACK " + cmd[1] + " " + error));
        case "status" -> {
          boolean serves;
          try {
            node.sync().get(2, TimeUnit.SECONDS);
            serves = true;
          } catch (Exception e) {
            serves = false;
          }
          out.println("STATUS " + node.role() + " " + node.leader().orElse(0) + " " + serves);
        }
        case "dump" -> {
          StringBuilder b = new StringBuilder("APPLIED");
          for (String s : sm.applied()) {
            b.append(' ').append(s);
          }
          out.println(b);
        }
        default -> out.println("UNKNOWN " + line);
      }
    }
    node.close();
  }
}
