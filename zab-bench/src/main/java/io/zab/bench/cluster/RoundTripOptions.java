package io.zab.bench.cluster;

/**
 * The options of {@link TransportRoundTrip}: the parent's ({@code --payload --slices --slice-ms --answer}) or, with
 * {@code --serve <port> --peer <port>}, the child endpoint's.
 */
record RoundTripOptions(int payload, int slices, long sliceMs, String answer, int servePort, int peerPort) {

  RoundTripOptions {
    if (!answer.equals("loop") && !answer.equals("thread")) {
      throw new IllegalArgumentException("--answer must be loop (from the event loop) or thread, got '" + answer + "'");
    }
    if (payload < 1 || slices < 1 || sliceMs < 1) {
      throw new IllegalArgumentException("--payload, --slices and --slice-ms must be positive");
    }
    if ((servePort > 0) != (peerPort > 0)) {
      throw new IllegalArgumentException("--serve and --peer go together");
    }
  }

  static RoundTripOptions parse(String[] argv) {
    Args args = Args.parse(argv, "payload", "slices", "slice-ms", "answer", "serve", "peer");
    return new RoundTripOptions((int) args.getLong("payload", 1024), (int) args.getLong("slices", 6),
        args.getLong("slice-ms", 1000), args.get("answer", "thread"), (int) args.getLong("serve", 0),
        (int) args.getLong("peer", 0));
  }
}
