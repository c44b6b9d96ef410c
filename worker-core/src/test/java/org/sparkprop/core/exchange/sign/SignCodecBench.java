package org.sparkprop.core.exchange.sign;

import java.util.Locale;
import java.util.SplittableRandom;
import org.sparkprop.core.model.ParamLayout;

/**
 * Micro-measurement (not a test) of the sign exchange's hot loops on the MNIST MLP 784-256-10
 * (203,530 parameters, 4 tensors). Run from worker-core after {@code mvn test-compile}:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$SLF4J_API_JAR \
 *     org.sparkprop.core.exchange.sign.SignCodecBench
 * </pre>
 */
public final class SignCodecBench {
  private SignCodecBench() {}

  private static volatile long sink;

  public static void main(String[] args) {
    Segments seg = Segments.of(new ParamLayout(784, 256, 10));
    int n = seg.length();
    SplittableRandom r = new SplittableRandom(1);
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      g[i] = (float) r.nextGaussian();
    }
    long[] bits = new long[SignCodec.words(n)];
    float[] scales = new float[seg.count()];
    float[] residual = new float[n];
    float[] out = new float[n];
    int[] votes = new int[n];
    SignPayload payload = SignPayload.scaled(n, SignCodec.pack(g), new float[] {1, 2, 3, 4}, 0, 1);
    ExecutorStateStore store = new ExecutorStateStore();

    System.out.printf(Locale.ROOT, "%d floats, %d tensors, %d packed words%n", n, seg.count(),
        bits.length);
    for (int round = 0; round < 2; round++) {
      boolean report = round == 1;
      time(report, n, "pack", () -> {
        SignCodec.pack(g, 0, n, bits);
        sink += bits[7];
      });
      time(report, n, "addDecoded (4 tensors)", () -> {
        payload.addDecodedTo(seg, out);
        sink += Float.floatToRawIntBits(out[5]);
      });
      time(report, n, "pack + addDecoded", () -> {
        SignCodec.pack(g, 0, n, bits);
        for (int k = 0; k < seg.count(); k++) {
          SignCodec.addDecoded(bits, seg.start(k), scales[k], out, seg.start(k), seg.size(k));
        }
        sink += Float.floatToRawIntBits(out[5]);
      });
      time(report, n, "addVotes", () -> {
        SignCodec.addVotes(payload.bits(), 0, votes, 0, n);
        sink += votes[3];
      });
      time(report, n, "ErrorFeedback.compress (L1)", () -> {
        ErrorFeedback.compress(g, residual, seg, Scale.L1_MEAN, bits, scales, residual);
        sink += bits[3];
      });
      long[] step = {0};
      time(report, n, "SignStep.efStep (+ store, allocation)", () -> {
        long t = step[0]++;
        SignPayload p = SignStep.efStep(store, StateRef.next("bench", 0, t), seg, g, 0, 1);
        sink += p.bits()[3];
      });
    }
  }

  private static void time(boolean report, int n, String what, Runnable op) {
    int reps = 0;
    long start = System.nanoTime();
    long elapsed;
    do {
      op.run();
      reps++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < 1_000_000_000L);
    if (report) {
      double perOp = elapsed / (double) reps;
      System.out.printf(Locale.ROOT, "%-40s %8.1f us/op  %6.2f ns/float  %7.0f Mfloat/s%n",
          what, perOp / 1e3, perOp / n, n / perOp * 1e3);
    }
  }
}
