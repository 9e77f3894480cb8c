package io.zab.storage;

import io.zab.Zxid;
import java.nio.file.Path;

/** One segment file of the log and the zxid just before its first record. */
record Segment(Path file, Zxid base) {}
