package io.zab.wire;

import io.zab.Role;
import io.zab.wire.Message.RejectCode;

/**
 * Frozen one-byte wire codes of the enums carried in messages. Explicit (not {@code ordinal()}) so that
 * reordering or inserting an enum constant in the source cannot silently change the wire format.
 *
 * <table>
 *   <caption>Enum codes</caption>
 *   <tr><th>enum</th><th>codes</th></tr>
 *   <tr><td>Role</td><td>0 LOOKING, 1 FOLLOWING, 2 LEADING, 3 OBSERVING</td></tr>
 *   <tr><td>RejectCode</td><td>0 NONE, 1 NOT_LEADER, 2 NO_QUORUM, 3 OVERLOADED, 4 TOO_LARGE, 5 CLOSED,
 *       6 OUTCOME_UNKNOWN, 7 STALE_CONFIGURATION, 8 CHANGE_IN_PROGRESS, 9 CATCH_UP_TIMEOUT, 10 TRANSFER_FAILED</td></tr>
 * </table>
 */
final class WireEnums {

  private WireEnums() {}

  static int code(Role role) {
    return switch (role) {
      case LOOKING -> 0;
      case FOLLOWING -> 1;
      case LEADING -> 2;
      case OBSERVING -> 3;
    };
  }

  /** The role with this code, or null if none has it. */
  static Role role(int code) {
    return switch (code) {
      case 0 -> Role.LOOKING;
      case 1 -> Role.FOLLOWING;
      case 2 -> Role.LEADING;
      case 3 -> Role.OBSERVING;
      default -> null;
    };
  }

  static int code(RejectCode error) {
    return switch (error) {
      case NONE -> 0;
      case NOT_LEADER -> 1;
      case NO_QUORUM -> 2;
      case OVERLOADED -> 3;
      case TOO_LARGE -> 4;
      case CLOSED -> 5;
      case OUTCOME_UNKNOWN -> 6;
      case STALE_CONFIGURATION -> 7;
      case CHANGE_IN_PROGRESS -> 8;
      case CATCH_UP_TIMEOUT -> 9;
      case TRANSFER_FAILED -> 10;
    };
  }

  /** The reject code with this code, or null if none has it. */
  static RejectCode rejectCode(int code) {
    return switch (code) {
      case 0 -> RejectCode.NONE;
      case 1 -> RejectCode.NOT_LEADER;
      case 2 -> RejectCode.NO_QUORUM;
      case 3 -> RejectCode.OVERLOADED;
      case 4 -> RejectCode.TOO_LARGE;
      case 5 -> RejectCode.CLOSED;
      case 6 -> RejectCode.OUTCOME_UNKNOWN;
      case 7 -> RejectCode.STALE_CONFIGURATION;
      case 8 -> RejectCode.CHANGE_IN_PROGRESS;
      case 9 -> RejectCode.CATCH_UP_TIMEOUT;
      case 10 -> RejectCode.TRANSFER_FAILED;
      default -> null;
    };
  }
}
