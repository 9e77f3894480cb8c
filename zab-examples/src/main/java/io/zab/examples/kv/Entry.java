package io.zab.examples.kv;

/**
 * A stored value and its version (the zxid value of the txn that last wrote it).
 *
 * @param value the value
 * @param version zxid value of the last write: grows with every write to the key
 */
public record Entry(String value, long version) {}
