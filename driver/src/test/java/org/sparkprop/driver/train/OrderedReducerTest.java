package org.sparkprop.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Results are folded in partition order whatever order they arrive in. */
class OrderedReducerTest {
  @Test
  void foldsInIndexOrderRegardlessOfArrival() {
    OrderedReducer<String, String> r = new OrderedReducer<>(4, "", String::concat);
    r.apply(2, "c");
    r.apply(0, "a");
    r.apply(3, "d");
    r.apply(1, "b");
    assertEquals("abcd", r.result());
  }

  @Test
  void floatSumsAreReproducibleAcrossArrivalOrders() {
    float[] parts = {1e8f, 1f, -1e8f, 1f};
    OrderedReducer<Float, Float> forward = new OrderedReducer<>(4, 0f, Float::sum);
    OrderedReducer<Float, Float> backward = new OrderedReducer<>(4, 0f, Float::sum);
    for (int i = 0; i < 4; i++) {
      forward.apply(i, parts[i]);
      backward.apply(3 - i, parts[3 - i]);
    }
    assertEquals(forward.result(), backward.result());
  }

  @Test
  void missingResultsAreAnError() {
    OrderedReducer<String, String> r = new OrderedReducer<>(2, "", String::concat);
    r.apply(1, "b");
    assertThrows(IllegalStateException.class, r::result);
  }
}
