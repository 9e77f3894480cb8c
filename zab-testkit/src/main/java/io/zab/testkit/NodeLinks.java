package io.zab.testkit;

import io.zab.Member;
import io.zab.transport.TransportFactory;
import java.util.List;

/** How the servers of a {@link NodeCluster} reach each other, and what faults the network can be given. */
interface NodeLinks {
  /** The initial voters' addresses (the bootstrap configuration every initial server is given). */
  List<Member> members();

  /** An address for a server added later ({@code id} beyond the initial ones; issue 11). */
  Member newMember(long id);

  TransportFactory transport();

  /** Whether {@link #cut} and {@link #heal} work. */
  boolean faults();

  /** Cuts the connection between {@code a} and {@code b} until {@link #heal()}. */
  void cut(long a, long b);

  void heal();

  /** Whether {@code a} and {@code b} can talk now (a live connection, or no cut where that is not observable). */
  boolean connected(long a, long b);

  /** A short name for messages ("in-JVM", "Netty on loopback"). */
  String name();
}
