package org.sparkprop.driver.data;

import java.io.Serializable;

/**
 * A problem with the input found where the data is read (a task on an executor), returned to
 * the driver as a value instead of thrown: no task fails, Spark logs no stack trace, and the
 * driver reports the first problem in file order, the same one in every run.
 *
 * @param file the file (or table and column) as the user named it
 * @param line 1-based line of a text file, or -1
 * @param byteOffset byte offset of the record in the file, or -1
 * @param record 1-based record (IDX image, table row within its split), or -1
 * @param linesBefore text files: lines of this split read before the bad one (to find its line
 *     number with the earlier splits' counts), else -1
 * @param token the offending token, or null
 * @param problem what is wrong
 * @param hint what to do, or null
 */
public record DataError(String file, long line, long byteOffset, long record, long linesBefore,
    String token, String problem, String hint) implements Serializable {

  /** A problem with a line of a text file, at a byte offset, the split's earlier lines counted. */
  public static DataError atOffset(String file, long byteOffset, long linesBefore, String token,
      String problem) {
    return new DataError(file, -1, byteOffset, -1, linesBefore, token, problem,
        DataFileException.FIX_LINE);
  }

  /** The exception the driver reports. */
  public DataFileException toException() {
    String what = record >= 1 && line < 1 ? "record " + record + ": " + problem : problem;
    return new DataFileException(file, line, line >= 1 ? -1 : byteOffset, token, what, hint,
        null);
  }

  /** This error with its 1-based line number. */
  public DataError withLine(long lineNumber) {
    return new DataError(file, lineNumber, byteOffset, record, linesBefore, token, problem, hint);
  }
}
