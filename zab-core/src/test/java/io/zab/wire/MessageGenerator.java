package io.zab.wire;

import io.zab.Role;
import io.zab.Zxid;
import io.zab.wire.Message.RejectCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Arbitrary instances of every {@link Message} record from a seeded {@link Random}, biased towards edge values
 * (zero and extreme longs, {@link Zxid#ZERO} and the largest zxid, empty and large arrays, long proposals).
 */
final class MessageGenerator {

  private static final long[] EDGE_LONGS = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL, 1L << 32};
  private static final Zxid[] EDGE_ZXIDS = {
      Zxid.ZERO, Zxid.of(0, 1), Zxid.of(0xFFFF_FFFFL, Zxid.MAX_COUNTER), Zxid.of(0xFFFF_FFFFL, 0),
      Zxid.of(0x8000_0000L, 0), Zxid.of(1, Zxid.MAX_COUNTER)};

  private final Random random;
  private final Map<Class<? extends Message>, Supplier<Message>> generators;

  MessageGenerator(long seed) {
    this.random = new Random(seed);
    this.generators = Map.ofEntries(
        Map.entry(Message.Notification.class,
            () -> new Message.Notification(pick(Role.values()), anyLong(), zxid(), anyLong(), anyLong(),
                random.nextBoolean(), anyLong(), random.nextBoolean() ? null : Membership.stable(configuration()))),
        Map.entry(Message.FollowerInfo.class, () -> new Message.FollowerInfo(anyLong(), zxid(), random.nextBoolean())),
        Map.entry(Message.LeaderInfo.class, () -> new Message.LeaderInfo(anyLong())),
        Map.entry(Message.AckEpoch.class, () -> new Message.AckEpoch(anyLong(), zxid())),
        Map.entry(Message.Diff.class, () -> new Message.Diff(zxid())),
        Map.entry(Message.Trunc.class, () -> new Message.Trunc(zxid())),
        Map.entry(Message.SnapChunk.class,
            () -> new Message.SnapChunk(zxid(), anyLong() & Long.MAX_VALUE, bytes(), random.nextBoolean())),
        Map.entry(Message.NewLeader.class, () -> new Message.NewLeader(anyLong(), zxid())),
        Map.entry(Message.AckNewLeader.class, () -> new Message.AckNewLeader(anyLong())),
        Map.entry(Message.UpToDate.class, () -> new Message.UpToDate(zxid())),
        Map.entry(Message.Proposal.class, () -> new Message.Proposal(txns())),
        Map.entry(Message.Ack.class, () -> new Message.Ack(zxid())),
        Map.entry(Message.Commit.class, () -> new Message.Commit(zxid())),
        Map.entry(Message.Request.class, () -> new Message.Request(anyLong(), bytes())),
        Map.entry(Message.RequestReply.class,
            () -> new Message.RequestReply(anyLong(), zxid(), pick(RejectCode.values()))),
        Map.entry(Message.Ping.class, () -> new Message.Ping(zxid())),
        Map.entry(Message.SyncRequest.class, () -> new Message.SyncRequest(anyLong())),
        Map.entry(Message.SyncReply.class, () -> new Message.SyncReply(anyLong(), zxid())),
        Map.entry(Message.ConfigRequest.class,
            () -> new Message.ConfigRequest(anyLong(), anyLong() & Long.MAX_VALUE, configuration())),
        Map.entry(Message.TransferRequest.class,
            () -> new Message.TransferRequest(anyLong(), anyLong(), anyLong() & Long.MAX_VALUE)),
        Map.entry(Message.Handover.class, () -> new Message.Handover(anyLong(), anyLong(), zxid())));
  }

  /** A configuration of 1 to 7 voters and 0 to 3 observers with random ids, hosts and ports. */
  private io.zab.ClusterConfiguration configuration() {
    java.util.List<io.zab.Member> voters = new java.util.ArrayList<>();
    java.util.List<io.zab.Member> observers = new java.util.ArrayList<>();
    int n = 1 + random.nextInt(7);
    int o = random.nextInt(4);
    for (int i = 1; i <= n + o; i++) {
      io.zab.Member m = new io.zab.Member(i * 1000L + random.nextInt(1000), "h" + random.nextInt(1 << 20),
          random.nextInt(65536));
      (i <= n ? voters : observers).add(m);
    }
    return new io.zab.ClusterConfiguration(anyLong(), voters, observers);
  }

  /** The record types this generator can build. */
  Set<Class<? extends Message>> generatedTypes() {
    return generators.keySet();
  }

  /** An arbitrary instance of {@code type}. */
  Message next(Class<? extends Message> type) {
    Supplier<Message> generator = generators.get(type);
    if (generator == null) {
      throw new IllegalArgumentException("no generator for " + type.getName());
    }
    return generator.get();
  }

  /** An arbitrary instance of an arbitrary type. */
  Message next() {
    return next(pick(Message.class.getPermittedSubclasses()).asSubclass(Message.class));
  }

  private long anyLong() {
    return random.nextInt(4) == 0 ? EDGE_LONGS[random.nextInt(EDGE_LONGS.length)] : random.nextLong();
  }

  private Zxid zxid() {
    return random.nextInt(3) == 0 ? EDGE_ZXIDS[random.nextInt(EDGE_ZXIDS.length)] : new Zxid(random.nextLong());
  }

  private byte[] bytes() {
    int kind = random.nextInt(16);
    int length = kind < 4 ? 0 : kind == 15 ? random.nextInt(64 * 1024) : random.nextInt(64);
    byte[] data = new byte[length];
    random.nextBytes(data);
    return data;
  }

  private List<Txn> txns() {
    int kind = random.nextInt(20);
    int count = kind < 5 ? 1 : kind == 19 ? 1000 + random.nextInt(2000) : 1 + random.nextInt(20);
    List<Txn> txns = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Txn.Kind txnKind = random.nextInt(10) == 0 ? Txn.Kind.CONFIG : Txn.Kind.APPLICATION;
      txns.add(new Txn(zxid(), txnKind, count > 100 ? smallBytes() : bytes()));
    }
    return txns;
  }

  /** Payloads of large proposals stay small so a thousand-txn proposal is about large counts, not bytes. */
  private byte[] smallBytes() {
    byte[] data = new byte[random.nextInt(16)];
    random.nextBytes(data);
    return data;
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }
}
