package io.zab.nemesis.check;

import io.zab.nemesis.workload.Op;
import io.zab.nemesis.workload.OpKind;
import io.zab.nemesis.workload.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The set check over the once-only puts ({@link OpKind#ADD}): after the cluster converged, every
 * acknowledged one must be on every server with its value (else it is lost), none that was certainly not
 * applied may be anywhere (else a rejected write became visible); one of unknown outcome may be either.
 */
public final class LostWrites {
  private LostWrites() {}

  public record Report(int acknowledged, List<String> lost, List<String> rejectedVisible, int unknownPresent,
      int unknownAbsent) {}

  /**
   * @param finalValues per server id, the value of every once-only key as read at the end (absent: null or no
   *     entry)
   */
  public static Report check(List<Op> ops, Map<Integer, Map<String, String>> finalValues) {
    int acked = 0;
    int unknownPresent = 0;
    int unknownAbsent = 0;
    List<String> lost = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    for (Op op : ops) {
      if (op.kind() != OpKind.ADD) {
        continue;
      }
      List<String> missingOn = new ArrayList<>();
      List<String> presentOn = new ArrayList<>();
      for (Map.Entry<Integer, Map<String, String>> node : finalValues.entrySet()) {
        String v = node.getValue().get(op.key());
        if (Objects.equals(v, op.value())) {
          presentOn.add("server " + node.getKey());
        } else {
          missingOn.add("server " + node.getKey() + (v == null ? " has no value" : " has '" + v + "'"));
        }
      }
      if (op.outcome() == Outcome.OK) {
        acked++;
        if (!missingOn.isEmpty()) {
          lost.add("acknowledged put " + op.key() + "=" + op.value() + " (op " + op.id() + " by " + op.client()
              + " via server " + op.node() + ", answered at " + op.ret() + " us) is missing: "
              + String.join(", ", missingOn));
        }
      } else if (op.outcome() == Outcome.FAIL) {
        if (!presentOn.isEmpty()) {
          rejected.add("put " + op.key() + "=" + op.value() + " (op " + op.id() + ") was refused as not applied,"
              + " yet is on " + String.join(", ", presentOn));
        }
      } else if (presentOn.isEmpty()) {
        unknownAbsent++;
      } else {
        unknownPresent++;
      }
    }
    return new Report(acked, lost, rejected, unknownPresent, unknownAbsent);
  }
}
