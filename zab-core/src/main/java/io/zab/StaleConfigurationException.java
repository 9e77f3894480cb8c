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
  /** The version of the configuration in force when the request was refused. */
  private final long currentVersion;

  /**
   * A reconfiguration derived from an outdated configuration.
   *
   * @param currentVersion the version of the configuration in force (the zxid value of the txn that made it)
   */
  public StaleConfigurationException(long currentVersion) {
    super("the configuration changed since the one the request was derived from: the current one is version "
        + new Zxid(currentVersion) + "; nothing was changed: read the configuration again and derive the change"
        + " from it");
    this.currentVersion = currentVersion;
  }

  /**
   * The version of the configuration in force when the request was refused.
   *
   * @return the current configuration's version, the zxid value of the txn that made it
   */
  public long currentVersion() {
    return currentVersion;
  }

  @Override
  public boolean notApplied() {
    return true;
  }
}
