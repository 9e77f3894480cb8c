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
  public enum Status { PENDING, COMPLETED, REJECTED, LOST }

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

  /** Whether it is a membership request (a reconfiguration or a leadership transfer). */
  public boolean isAdmin() {
    return admin != null;
  }

  /** The server it was submitted to. */
  public long server() {
    return server;
  }

  public long id() {
    return id;
  }

  /** The write's payload, or null for a read barrier. */
  public byte[] data() {
    return data == null ? null : data.clone();
  }

  public boolean isWrite() {
    return data != null;
  }

  public Status status() {
    return status;
  }

  public boolean done() {
    return status != Status.PENDING;
  }

  /** The zxid it completed at (null unless completed). */
  public Zxid zxid() {
    return zxid;
  }

  /** Why it was rejected (null unless rejected). */
  public RejectCode rejectCode() {
    return rejectCode;
  }

  /** The leader the rejecting server named (0 if none). */
  public long leaderHint() {
    return leaderHint;
  }

  /** Called once when the request finishes (immediately if it already has). */
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
