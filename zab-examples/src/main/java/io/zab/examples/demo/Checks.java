package io.zab.examples.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Records and prints each check of the demo as PASSED or FAILED. Thread-safe. */
public final class Checks {
  private final PrintStream out;
  private final List<String> failed = new ArrayList<>();
  private int passed;

  public Checks(PrintStream out) {
    this.out = out;
  }

  /** Records one check; returns {@code ok} so callers can skip steps that depend on it. */
  public synchronized boolean check(String what, boolean ok, String detail) {
    String suffix = detail == null || detail.isEmpty() ? "" : " (" + detail + ")";
    out.printf("  %s  %s%s%n", ok ? "PASSED" : "FAILED", what, suffix);
    if (ok) {
      passed++;
    } else {
      failed.add(what + suffix);
    }
    return ok;
  }

  public synchronized void step(String title) {
    out.println();
    out.println("== " + title);
  }

  public synchronized void note(String text) {
    out.println("  " + text.stripTrailing().replace("\n", "\n  "));
  }

  public synchronized List<String> failed() {
    return List.copyOf(failed);
  }

  public synchronized int passed() {
    return passed;
  }

  public synchronized String summary() {
    return passed + " checks passed, " + failed.size() + " failed" + (failed.isEmpty() ? "" : ": " + failed);
  }
}
