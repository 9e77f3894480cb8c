package io.zab.examples.demo;

/** How the demo crashes and restarts node processes (pid files for the script, Process handles in tests). */
public interface NodeControl {
  /** Kills server {@code id}'s process with SIGKILL (no shutdown hooks, no flush); returns a description. */
  String kill(long id) throws Exception;

  /** Starts server {@code id} again with its data directory; false if this control cannot. */
  boolean restart(long id) throws Exception;
}
