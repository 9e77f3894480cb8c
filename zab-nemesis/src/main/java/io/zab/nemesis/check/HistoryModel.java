package io.zab.nemesis.check;

import io.zab.nemesis.workload.Op;
import io.zab.testkit.lin.KvOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns recorded operations into the register model of the testkit's linearizability checker: a read that
 * answered is a read; a put is a write (its return unknown if the outcome is); a compare-and-set that swapped
 * is a conditional write, one that reported a mismatch is a read of the value it reported, an unanswered one
 * a conditional write that may or may not have happened. Operations certainly not applied, and reads without
 * an answer, tell nothing and are left out.
 */
public final class HistoryModel {
  private HistoryModel() {}

  public static List<KvOp> toModel(List<Op> ops) {
    List<KvOp> model = new ArrayList<>();
    for (Op op : ops) {
      KvOp m = convert(op);
      if (m != null) {
        model.add(m.by(op.client() + "@" + op.node()));
      }
    }
    return model;
  }

  static KvOp convert(Op op) {
    long ret = op.ret();
    return switch (op.outcome()) {
      case FAIL -> null;
      case MISMATCH -> KvOp.read(op.id(), op.key(), op.observed(), op.call(), ret);
      case OK -> switch (op.kind()) {
        case READ -> KvOp.read(op.id(), op.key(), op.observed(), op.call(), ret);
        case PUT, ADD -> KvOp.write(op.id(), op.key(), op.value(), op.call(), ret);
        case CAS -> KvOp.cas(op.id(), op.key(), op.expected(), op.value(), op.call(), ret);
      };
      case UNKNOWN -> switch (op.kind()) {
        case READ -> null;
        case PUT, ADD -> KvOp.write(op.id(), op.key(), op.value(), op.call(), KvOp.UNKNOWN);
        case CAS -> KvOp.cas(op.id(), op.key(), op.expected(), op.value(), op.call(), KvOp.UNKNOWN);
      };
    };
  }
}
