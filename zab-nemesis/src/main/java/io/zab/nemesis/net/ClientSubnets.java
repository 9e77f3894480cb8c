package io.zab.nemesis.net;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Picks a client subnet 10.78.X.0/24 that no address of the root namespace uses yet. */
public final class ClientSubnets {
  private static final Pattern USED = Pattern.compile("inet 10\\.78\\.(\\d{1,3})\\.");

  private ClientSubnets() {}

  /**
   * @param ipAddrOutput what {@code ip -4 -o addr show} prints in the root namespace
   * @return a free third octet, chosen at random among the free ones
   * @throws IllegalStateException if all 256 are taken
   */
  public static int pick(String ipAddrOutput, SplittableRandom random) {
    Set<Integer> used = new HashSet<>();
    Matcher m = USED.matcher(ipAddrOutput);
    while (m.find()) {
      used.add(Integer.parseInt(m.group(1)));
    }
    if (used.size() >= 256) {
      throw new IllegalStateException("every client subnet 10.78.0-255.0/24 is in use: remove leftover runs"
          + " (./zab-cluster nemesis-clean)");
    }
    while (true) {
      int candidate = random.nextInt(256);
      if (!used.contains(candidate)) {
        return candidate;
      }
    }
  }
}
