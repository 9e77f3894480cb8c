package io.zab.testkit;

import io.zab.Member;
import io.zab.transport.LocalNetwork;
import io.zab.transport.TransportFactory;
import java.util.List;
import java.util.stream.LongStream;

/** zab's in-JVM network; every message goes through the wire codec, as over a real connection. */
final class InJvmLinks implements NodeLinks {
  private final LocalNetwork net = LocalNetwork.createWithCodec();
  private final List<Member> members;

  InJvmLinks(int servers) {
    members = LongStream.rangeClosed(1, servers).mapToObj(Member::local).toList();
  }

  @Override
  public List<Member> members() {
    return members;
  }

  @Override
  public Member newMember(long id) {
    return Member.local(id);
  }

  @Override
  public TransportFactory transport() {
    return net::transport;
  }

  @Override
  public boolean faults() {
    return true;
  }

  @Override
  public void cut(long a, long b) {
    net.disconnect(a, b);
  }

  @Override
  public void heal() {
    net.heal();
  }

  @Override
  public boolean connected(long a, long b) {
    return net.connected(a, b);
  }

  @Override
  public String name() {
    return "in-JVM network";
  }
}
