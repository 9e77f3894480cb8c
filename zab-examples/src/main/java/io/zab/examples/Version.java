package io.zab.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** The project version the build wrote into {@code version.properties}; what {@code -V} prints. */
public final class Version {
  private Version() {}

  /** The version of zab and this example, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String current() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown (no version.properties on the classpath)";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read version.properties", e);
    }
  }

  /** picocli's {@code -V}/{@code --version}: the command's name, the version (zab's and the example's) and the JVM. */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"${COMMAND-FULL-NAME} " + current() + " (Java " + System.getProperty("java.version") + ")"};
    }
  }
}
