package org.sparkprop.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Packing, gathering, slicing and concatenating blocks keep every value in place. */
class BlocksTest {
  private static Block dense(float first, int rows) {
    RowSink sink = RowSink.dense(2);
    for (int r = 0; r < rows; r++) {
      sink.addDense(new float[] {first + r, -(first + r)}, r % 2);
    }
    return sink.finish();
  }

  private static SparseBlock sparse() {
    RowSink sink = RowSink.sparse(10);
    sink.addSparse(new int[] {1, 4}, new float[] {1f, 4f}, 2, 0);
    sink.addSparse(new int[] {}, new float[] {}, 0, 1);
    sink.addSparse(new int[] {0, 9}, new float[] {0.5f, 9f}, 2, 1);
    return (SparseBlock) sink.finish();
  }

  @Test
  void rowSinkPacksAndResets() {
    SparseBlock s = sparse();
    assertArrayEquals(new int[] {0, 2, 2, 4}, s.indptr());
    assertArrayEquals(new int[] {1, 4, 0, 9}, s.indices());
    assertArrayEquals(new float[] {0, 1, 1}, s.labels());
    DenseBlock d = (DenseBlock) dense(1, 3);
    assertArrayEquals(new float[] {1, -1, 2, -2, 3, -3}, d.features());
    assertEquals(4L * 6 + 4L * 3, d.sizeInBytes());
  }

  @Test
  void gatherAcrossBlocksInRequestedOrder() {
    BlockList list = new BlockList(List.of(dense(0, 3), dense(10, 2)));
    assertEquals(5, list.numRows());
    DenseBlock g = (DenseBlock) list.gather(new int[] {4, 0, 3, 3}, 4);
    assertArrayEquals(new float[] {11, -11, 0, -0f, 10, -10, 10, -10}, g.features());
    assertArrayEquals(new float[] {1, 0, 0, 0}, g.labels());
  }

  @Test
  void gatherIntoABufferReusesItsArraysAndGivesTheSameRows() {
    Block a = dense(0, 3).withWeights(new float[] {1f, 2f, 3f});
    Block b = dense(10, 2).withWeights(new float[] {4f, 5f});
    BlockList list = new BlockList(List.of(a, b));
    BatchBuffer buffer = new BatchBuffer();
    int[] rows = {4, 0, 3};
    DenseBlock first = (DenseBlock) list.gather(rows, 3, buffer);
    DenseBlock fresh = (DenseBlock) list.gather(rows, 3);
    assertArrayEquals(fresh.features(), first.features());
    assertArrayEquals(fresh.labels(), first.labels());
    assertArrayEquals(new float[] {5f, 1f, 4f}, first.weights());
    float[] x = first.features();
    DenseBlock second = (DenseBlock) list.gather(new int[] {1, 2, 2}, 3, buffer);
    assertSame(x, second.features(), "the same number of rows reuses the arrays");
    assertArrayEquals(new float[] {1, -1, 2, -2, 2, -2}, second.features());
    assertArrayEquals(new float[] {2f, 3f, 3f}, second.weights());
    DenseBlock one = (DenseBlock) new BlockList(List.of(a)).gather(new int[] {2}, 1, buffer);
    assertArrayEquals(new float[] {2, -2}, one.features(), "another size: new arrays");
    assertArrayEquals(new float[] {1, -1, 2, -2, 2, -2}, second.features(),
        "a block of another size does not touch the earlier arrays");
    SparseBlock s = sparse();
    SparseBlock g = (SparseBlock) new BlockList(List.of(s, s)).gather(new int[] {5, 1}, 2, buffer);
    assertArrayEquals(new int[] {0, 9}, g.indices(), "sparse rows are gathered as before");
  }

  @Test
  void sparseGatherSliceAndConcat() {
    SparseBlock s = sparse();
    SparseBlock g = (SparseBlock) new BlockList(List.of(s, s)).gather(new int[] {5, 1, 0}, 3);
    assertArrayEquals(new int[] {0, 2, 2, 4}, g.indptr());
    assertArrayEquals(new int[] {0, 9, 1, 4}, g.indices());
    assertArrayEquals(new float[] {0.5f, 9f, 1f, 4f}, g.values());
    SparseBlock slice = (SparseBlock) Blocks.slice(s, 1, 3);
    assertArrayEquals(new int[] {0, 0, 2}, slice.indptr());
    SparseBlock joined = (SparseBlock) Blocks.concat(List.of(Blocks.slice(s, 0, 1), slice));
    assertArrayEquals(s.indptr(), joined.indptr());
    assertArrayEquals(s.indices(), joined.indices());
    assertArrayEquals(s.values(), joined.values());
  }

  @Test
  void restampingTheWidthChecksIndices() {
    assertEquals(12, sparse().withNumFeatures(12).numFeatures());
    assertThrows(IllegalArgumentException.class, () -> sparse().withNumFeatures(9));
  }

  @Test
  void inconsistentArraysAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new DenseBlock(2, 3, new float[5], new float[2]));
    assertThrows(IllegalArgumentException.class,
        () -> new SparseBlock(1, 3, new int[] {0, 2}, new int[1], new float[1], new float[1]));
    assertThrows(IllegalArgumentException.class,
        () -> new BlockList(List.of(dense(0, 1), sparse())));
  }

  @Test
  void weightsTravelWithTheirRows() {
    RowSink sink = RowSink.dense(2);
    for (int r = 0; r < 3; r++) {
      sink.addDense(new float[] {r, -r}, r % 2, 0.5f + r);
    }
    Block a = sink.finish();
    assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f}, a.weights());
    assertEquals(4L * 6 + 4L * 3 + 4L * 3, a.sizeInBytes());
    Block b = dense(10, 2).withWeights(new float[] {4f, 5f});
    Block g = new BlockList(List.of(a, b)).gather(new int[] {4, 0, 2}, 3);
    assertArrayEquals(new float[] {5f, 0.5f, 2.5f}, g.weights());
    assertArrayEquals(new float[] {11, -11, 0, 0, 2, -2}, ((DenseBlock) g).features());
    assertArrayEquals(new float[] {1.5f, 2.5f}, Blocks.slice(a, 1, 3).weights());
    assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 4f, 5f},
        Blocks.concat(List.of(a, b)).weights());
    assertArrayEquals(a.weights(), a.withLabels(new float[] {7, 8, 9}).weights());
    assertEquals(1f, dense(0, 2).weight(1));
    assertEquals(null, dense(0, 2).weights());

    RowSink sparseSink = RowSink.sparse(10);
    sparseSink.addSparse(new int[] {3}, new float[] {1f}, 1, 0, 2f);
    sparseSink.addSparse(new int[] {}, new float[] {}, 0, 1, 0f);
    SparseBlock s = (SparseBlock) sparseSink.finish();
    assertArrayEquals(new float[] {2f, 0f}, s.weights());
    assertArrayEquals(new float[] {0f, 2f}, s.gather(new int[] {1, 0}, 0, 2).weights());
    assertEquals(null, sparseSink.finish().weights(), "an emptied sink starts unweighted");
  }

  @Test
  void weightsChangeTheChecksumAndUnweightedBlocksKeepTheirs() {
    Block plain = dense(0, 3);
    long before = new BlockChecksum().add(plain).value();
    assertEquals(before, new BlockChecksum().add(dense(0, 3)).value());
    long ones = new BlockChecksum().add(plain.withWeights(new float[] {1, 1, 1})).value();
    long other = new BlockChecksum().add(plain.withWeights(new float[] {1, 2, 1})).value();
    assertNotEquals(before, ones);
    assertNotEquals(ones, other);
    assertThrows(IllegalArgumentException.class, () -> plain.withWeights(new float[2]));
    assertThrows(IllegalArgumentException.class,
        () -> new BlockList(List.of(plain, plain.withWeights(new float[] {1, 1, 1}))));
  }
}
