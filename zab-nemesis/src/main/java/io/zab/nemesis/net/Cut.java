package io.zab.nemesis.net;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The peer links that are cut (both directions), as unordered pairs of server ids. {@link #NONE} is a
 * healed network.
 */
public record Cut(Set<Link> links) {
  /** An unordered pair of servers, {@code a < b}. */
  public record Link(int a, int b) implements Comparable<Link> {
    public Link {
      if (a == b) {
        throw new IllegalArgumentException("a link joins two different servers, got " + a + " twice");
      }
      if (a > b) {
        int t = a;
        a = b;
        b = t;
      }
    }

    public boolean touches(int node) {
      return a == node || b == node;
    }

    public int other(int node) {
      return a == node ? b : a;
    }

    @Override
    public int compareTo(Link o) {
      return a != o.a ? Integer.compare(a, o.a) : Integer.compare(b, o.b);
    }

    @Override
    public String toString() {
      return a + "-" + b;
    }
  }

  public static final Cut NONE = new Cut(Set.of());

  public Cut {
    links = Set.copyOf(new TreeSet<>(links));
  }

  public static Cut of(Collection<Link> links) {
    return new Cut(Set.copyOf(links));
  }

  public boolean isCut(int from, int to) {
    return from != to && links.contains(new Link(from, to));
  }

  /** The servers {@code node} cannot reach. */
  public Set<Integer> blockedFrom(int node) {
    return links.stream().filter(l -> l.touches(node)).map(l -> l.other(node)).collect(Collectors.toCollection(TreeSet::new));
  }

  public boolean healed() {
    return links.isEmpty();
  }

  @Override
  public String toString() {
    return links.isEmpty() ? "none" : new TreeSet<>(links).toString();
  }
}
