package org.sparkprop.driver.generate;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A large byte buffer in front of an output stream, for writing ASCII text without a String or a
 * charset encoder per number. Not thread-safe; {@link #flush()} before closing the stream.
 */
final class AsciiOut {
  private final OutputStream out;
  private final byte[] buf;
  private int pos;
  private long flushed;

  AsciiOut(OutputStream out, int bufferSize) {
    this.out = out;
    this.buf = new byte[bufferSize];
  }

  /** Makes room for at least {@code n} more bytes ({@code n} at most the buffer size). */
  private void reserve(int n) throws IOException {
    if (pos + n > buf.length) {
      flush();
    }
  }

  void writeByte(char c) throws IOException {
    reserve(1);
    buf[pos++] = (byte) c;
  }

  /** Writes an ASCII string (short; used for headers and labels). */
  void writeAscii(String s) throws IOException {
    for (int i = 0; i < s.length(); i++) {
      writeByte(s.charAt(i));
    }
  }

  /** Writes a non-negative integer in decimal. */
  void writeLong(long v) throws IOException {
    if (v < 0) {
      throw new IllegalArgumentException("negative: " + v);
    }
    reserve(20);
    pos = Decimal6.writeDigits(v, Decimal6.digitCount(v), buf, pos);
  }

  /** Writes {@code mantissa * 10^power} as {@link Decimal6} text. */
  void writeDecimal(int mantissa, int power) throws IOException {
    reserve(Decimal6.MAX_LENGTH);
    pos = Decimal6.write(mantissa, power, buf, pos);
  }

  /** Bytes written so far, buffered ones included. */
  long bytesWritten() {
    return flushed + pos;
  }

  /** Writes the buffered bytes to the stream (does not flush the stream itself). */
  void flush() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      flushed += pos;
      pos = 0;
    }
  }
}
