package org.sparkprop.driver;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code sparkprop --version}: the build's version and the Spark/Java it runs on. */
public final class Version implements CommandLine.IVersionProvider {

  /** This build's version, from the POM. */
  public static String version() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "sparkprop " + version(),
      "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Java "
          + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
    };
  }
}
