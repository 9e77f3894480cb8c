package io.zab;

/**
 * A reconfiguration named a configuration version that is no longer the current one: someone else changed the
 * configuration since it was read (compare-and-set, like ZooKeeper's {@code reconfig -v}). Nothing was changed.
 *
 * <pre>{@code
 * catch (StaleConfigurationException e) {
 *   ClusterConfiguration now = node.configuration();    // re-read, decide again, retry
 * }
 * }</pre>
 */
public final class StaleConfigurationException extends ZabException {
  private final long currentVersion;

  public StaleConfigurationException(long currentVersion) {
    super("the configuration changed since the one the request was derived from: the current one is version "
        + new Zxid(currentVersion) + "; nothing was changed: read the configuration again and derive the change"
        + " from it");
    this.currentVersion = currentVersion;
  }

  /** The version of the configuration in force when the request was refused. */
  public long currentVersion() {
    return currentVersion;
  }

  @Override
  public boolean notApplied() {
    return true;
  }
}
