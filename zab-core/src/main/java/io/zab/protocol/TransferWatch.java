package io.zab.protocol;

/**
 * A leadership transfer asked on this server and not answered yet, across role changes (the old leader goes LOOKING
 * when it hands over): it succeeds when this server is established under {@code target}, and fails when it is
 * established under another leader than {@code from} (the election made someone else leader) or when the bound
 * passes. {@code from} is the leader when it was asked (so, while still established under it, it waits).
 *
 * @param requestId the client's request
 * @param target the voter leadership should move to
 * @param from the leader when the transfer was asked
 * @param deadline the server tick after which it fails
 */
record TransferWatch(long requestId, long target, long from, long deadline) {}
