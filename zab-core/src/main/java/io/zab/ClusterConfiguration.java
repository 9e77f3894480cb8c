package io.zab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who takes part in the ensemble: the voters (they elect the leader and a majority of them must hold a write
 * before it commits), the observers (they receive every committed txn, serve local reads and forward writes, but
 * never count), each with the address peers reach it at, and a version.
 *
 * <p>The version of a configuration that came through the log is the zxid (as a number) of the txn that made it;
 * the configuration given to the builder has version 0. {@link ZabNode#reconfigure} is a compare-and-set on it:
 * derive the new configuration from the one you read, with {@link #withVoter}, {@link #withObserver} and
 * {@link #without}, which keep the version; zab refuses it if the configuration changed meanwhile.
 *
 * <pre>{@code
 * ClusterConfiguration now = node.configuration();
 * ClusterConfiguration next = now.without(3).withVoter(new Member(4, "10.0.0.4", 2881));  // replace server 3
 * ClusterConfiguration done = node.reconfigure(next).get(2, TimeUnit.MINUTES);          // committed
 * }</pre>
 *
 * <p>Immutable and thread-safe; the lists are sorted by server id.
 *
 * @param version the zxid value of the txn that made this configuration, 0 for the initial one
 * @param voters the voting members, at least one
 * @param observers the non-voting members
 */
public record ClusterConfiguration(long version, List<Member> voters, List<Member> observers) {
  private static final Comparator<Member> BY_ID = Comparator.comparingLong(Member::id);

  /**
   * Sorts the member lists by id and checks them.
   *
   * @param version the zxid value of the txn that made this configuration, 0 for the initial one
   * @param voters the voting members, at least one
   * @param observers the non-voting members
   * @throws IllegalArgumentException if there is no voter, or a server id appears twice
   */
  public ClusterConfiguration {
    voters = sorted(voters);
    observers = sorted(observers);
    if (voters.isEmpty()) {
      throw new IllegalArgumentException("a configuration needs at least one voter");
    }
    Set<Long> ids = new TreeSet<>();
    for (Member m : voters) {
      if (!ids.add(m.id())) {
        throw new IllegalArgumentException("server id " + m.id() + " appears twice among the voters " + voters);
      }
    }
    for (Member m : observers) {
      if (!ids.add(m.id())) {
        throw new IllegalArgumentException("server id " + m.id() + " is listed twice (voters " + voters
            + ", observers " + observers + ")");
      }
    }
  }

  /**
   * An initial configuration (version 0) of these voters and no observer.
   *
   * @param voters the voting members, at least one
   * @return the configuration of version 0
   * @throws IllegalArgumentException if there is no voter, or a server id appears twice
   */
  public static ClusterConfiguration of(List<Member> voters) {
    return new ClusterConfiguration(0, voters, List.of());
  }

  private static List<Member> sorted(List<Member> members) {
    List<Member> copy = new ArrayList<>(List.copyOf(members));
    copy.sort(BY_ID);
    return List.copyOf(copy);
  }

  /**
   * Every member, voters and observers, sorted by id.
   *
   * @return the voters and observers in one list, ascending by id
   */
  public List<Member> members() {
    List<Member> all = new ArrayList<>(voters);
    all.addAll(observers);
    all.sort(BY_ID);
    return List.copyOf(all);
  }

  /**
   * The ids of the voters, ascending.
   *
   * @return a new set of the voters' ids
   */
  public Set<Long> voterIds() {
    Set<Long> ids = new TreeSet<>();
    voters.forEach(m -> ids.add(m.id()));
    return ids;
  }

  /**
   * The ids of the observers, ascending.
   *
   * @return a new set of the observers' ids
   */
  public Set<Long> observerIds() {
    Set<Long> ids = new TreeSet<>();
    observers.forEach(m -> ids.add(m.id()));
    return ids;
  }

  /**
   * The member with this id, voter or observer.
   *
   * @param id a server id
   * @return the member, or empty if {@code id} is not a member
   */
  public Optional<Member> member(long id) {
    return members().stream().filter(m -> m.id() == id).findFirst();
  }

  /**
   * Whether server {@code id} is a voter of this configuration.
   *
   * @param id a server id
   * @return true if it is among the voters
   */
  public boolean isVoter(long id) {
    return voters.stream().anyMatch(m -> m.id() == id);
  }

  /**
   * Whether server {@code id} is an observer of this configuration.
   *
   * @param id a server id
   * @return true if it is among the observers
   */
  public boolean isObserver(long id) {
    return observers.stream().anyMatch(m -> m.id() == id);
  }

  /**
   * Whether server {@code id} takes part in this configuration, as voter or observer.
   *
   * @param id a server id
   * @return true if it is a voter or an observer
   */
  public boolean isMember(long id) {
    return isVoter(id) || isObserver(id);
  }

  /**
   * This configuration with {@code m} as a voter: added, promoted from observer, or with its address replaced.
   * The version stays (it names the configuration this one is derived from).
   *
   * @param m the member to be a voter
   * @return a new configuration, of the same version
   */
  public ClusterConfiguration withVoter(Member m) {
    List<Member> v = new ArrayList<>(others(voters, m.id()));
    v.add(m);
    return new ClusterConfiguration(version, v, others(observers, m.id()));
  }

  /**
   * This configuration with {@code m} as an observer: added, demoted from voter, or with its address replaced.
   * The version stays.
   *
   * @param m the member to be an observer
   * @return a new configuration, of the same version
   * @throws IllegalArgumentException if {@code m} is the last voter
   */
  public ClusterConfiguration withObserver(Member m) {
    List<Member> o = new ArrayList<>(others(observers, m.id()));
    o.add(m);
    return new ClusterConfiguration(version, others(voters, m.id()), o);
  }

  /**
   * This configuration without server {@code id} (voter or observer; unchanged if it is not a member).
   * The version stays.
   *
   * @param id the server to remove
   * @return a new configuration, of the same version
   * @throws IllegalArgumentException if {@code id} is the last voter
   */
  public ClusterConfiguration without(long id) {
    return new ClusterConfiguration(version, others(voters, id), others(observers, id));
  }

  private static List<Member> others(List<Member> members, long id) {
    return members.stream().filter(m -> m.id() != id).toList();
  }

  /**
   * The same members under another version (zab stamps versions; applications do not need this).
   *
   * @param version the new version: the zxid value of the txn that makes this configuration
   * @return a new configuration with these members and {@code version}
   */
  public ClusterConfiguration withVersion(long version) {
    return new ClusterConfiguration(version, voters, observers);
  }

  /**
   * Whether {@code other} has the same voters and observers at the same addresses (versions aside).
   *
   * @param other the configuration to compare with
   * @return true if both have the same voters and the same observers
   */
  public boolean sameMembers(ClusterConfiguration other) {
    return voters.equals(other.voters) && observers.equals(other.observers);
  }

  @Override
  public String toString() {
    return "configuration " + new Zxid(version) + " voters " + voters + (observers.isEmpty() ? "" : " observers "
        + observers);
  }
}
