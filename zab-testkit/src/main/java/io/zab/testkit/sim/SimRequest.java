package io.zab.testkit.sim;

import io.zab.Zxid;
import io.zab.wire.Message.RejectCode;
import java.util.function.Consumer;

/**
 * One client request (a write or a read barrier) in the simulation and its outcome. A request whose server
 * crashed before answering is {@link Status#LOST}: its outcome is unknown, like a client's timeout.
 */
public final class SimRequest {
  /** Where a request stands. */
  public enum Status {
    /** Not answered yet. */
    PENDING,
    /** Done: the write committed, the barrier passed, the change took effect. */
    COMPLETED,
    /** Refused with a reject code; nothing was done. */
    REJECTED,
    /** Its server went down before answering: the outcome is unknown. */
    LOST
  }

  private final long server;
  private final long id;
  private final byte[] data;
  /** For a membership request (reconfiguration, leadership transfer): what it asked; else null. */
  private final String admin;
  private Status status = Status.PENDING;
  private Zxid zxid;
  private RejectCode rejectCode;
  private long leaderHint;
  private Consumer<SimRequest> listener = r -> {};

  SimRequest(long server, long id, byte[] data) {
    this(server, id, data, null);
  }

  SimRequest(long server, long id, byte[] data, String admin) {
    this.server = server;
    this.id = id;
    this.data = data;
    this.admin = admin;
  }

  /**
   * Whether it is a membership request (a reconfiguration or a leadership transfer).
   *
   * @return true for a membership request
   */
  public boolean isAdmin() {
    return admin != null;
  }

  /**
   * The server it was submitted to.
   *
   * @return the server's id
   */
  public long server() {
    return server;
  }

  /**
   * The request's id, unique in the simulation.
   *
   * @return the id
   */
  public long id() {
    return id;
  }

  /**
   * The write's payload.
   *
   * @return a copy of the payload, or null if it is not a write
   */
  public byte[] data() {
    return data == null ? null : data.clone();
  }

  /**
   * Whether it is a write.
   *
   * @return true for a write, false for a read barrier or a membership request
   */
  public boolean isWrite() {
    return data != null;
  }

  /**
   * Where it stands.
   *
   * @return the status
   */
  public Status status() {
    return status;
  }

  /**
   * Whether it was answered (or lost).
   *
   * @return true unless {@link Status#PENDING}
   */
  public boolean done() {
    return status != Status.PENDING;
  }

  /**
   * The zxid it completed at.
   *
   * @return the zxid, or null unless completed
   */
  public Zxid zxid() {
    return zxid;
  }

  /**
   * Why it was rejected.
   *
   * @return the reject code, or null unless rejected
   */
  public RejectCode rejectCode() {
    return rejectCode;
  }

  /**
   * The leader the rejecting server named.
   *
   * @return the leader's id, or 0 if none
   */
  public long leaderHint() {
    return leaderHint;
  }

  /**
   * Sets what is called once when the request finishes (immediately if it already has); replaces any earlier one.
   *
   * @param l called with this request
   */
  public void onDone(Consumer<SimRequest> l) {
    this.listener = l;
    if (done()) {
      l.accept(this);
    }
  }

  void complete(Zxid at) {
    finish(Status.COMPLETED);
    this.zxid = at;
    listener.accept(this);
  }

  void reject(RejectCode code, long leader) {
    finish(Status.REJECTED);
    this.rejectCode = code;
    this.leaderHint = leader;
    listener.accept(this);
  }

  void lose() {
    finish(Status.LOST);
    listener.accept(this);
  }

  private void finish(Status s) {
    if (status != Status.PENDING) {
      throw new IllegalStateException("request " + id + " on server " + server + " answered twice: was "
          + status + ", now " + s);
    }
    status = s;
  }

  @Override
  public String toString() {
    return (isWrite() ? "write#" : admin != null ? admin + " #" : "read#") + id + "@" + server + ":" + status
        + (zxid != null ? " " + zxid : "") + (rejectCode != null ? " " + rejectCode : "");
  }
}
