package org.sparkprop.driver.io;

import java.io.IOException;

/**
 * A stored file is not what it should be: missing, truncated, corrupt (checksum), of another
 * kind or of an unknown format version. Unlike other I/O errors (a timeout, a refused
 * permission), retrying will not help; a reader may fall back to an older copy.
 */
public class FileFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public FileFormatException(String message) {
    super(message);
  }
}
