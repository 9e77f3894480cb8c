package io.zab.runtime;

import io.zab.Zxid;
import io.zab.fixtures.RecordingStateMachine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 over a server's applied (zxid, payload) sequence: equal digests mean equal replicated state. */
final class StateDigests {
  private StateDigests() {}

  static String of(RecordingStateMachine sm) {
    List<Zxid> zxids;
    List<String> payloads;
    synchronized (sm) { // one consistent view of both lists
      zxids = sm.zxids();
      payloads = sm.applied();
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < zxids.size(); i++) {
        byte[] p = payloads.get(i).getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(12).putLong(zxids.get(i).value()).putInt(p.length).array());
        sha.update(p);
      }
      return zxids.size() + " txns, sha256 " + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
