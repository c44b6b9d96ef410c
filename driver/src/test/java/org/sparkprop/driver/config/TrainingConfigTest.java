package org.sparkprop.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.core.model.ModelSpec;
import org.sparkprop.driver.TestFiles;

/** Configs are validated before Spark starts, with every problem listed at once. */
class TrainingConfigTest {
  @TempDir Path dir;

  private ConfigProblems problems(String hocon, String... sets) throws Exception {
    Path f = dir.resolve("bad.conf");
    Files.writeString(f, "data.train = x\n" + hocon);
    return assertThrows(ConfigProblems.class,
        () -> TrainingConfig.from(ConfigLoader.userLayer(f.toFile(), List.of(sets))));
  }

  @Test
  void everyExampleConfigIsValid() throws Exception {
    try (var files = Files.list(Path.of("..", "conf", "examples"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".conf"))::iterator) {
        TrainingConfig.from(ConfigLoader.userLayer(f.toFile(), List.of()));
      }
    }
  }

  @Test
  void unknownKeysAreAllListedWithFileLineAndAHint() throws Exception {
    ConfigProblems e = problems("train {\n  epoch = 3\n}\nmodle.type = mlp\noptimizer.lr = 0.1\n");
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("bad.conf:3: train.epoch: unknown key (did you mean "
        + "'train.epochs'?)"), e.getMessage());
    assertTrue(e.getMessage().contains("bad.conf:5: modle.type: unknown key"), e.getMessage());
  }

  @Test
  void outOfRangeValuesAreAllListed() throws Exception {
    ConfigProblems e = problems("train { epochs = -1, batch_size = 0 }\n"
        + "data { test_fraction = 1.5, format = avro }\n"
        + "model { hidden = [256, 0], activation = swish }\noptimizer { lr = -0.1 }\n");
    String m = e.getMessage();
    for (String key : List.of("train.epochs", "train.batch_size", "data.test_fraction",
        "data.format", "model.hidden", "model.activation", "optimizer.lr")) {
      assertTrue(m.contains(key), key + " missing from:\n" + m);
    }
    assertTrue(e.problems().size() >= 7, m);
  }

  @Test
  void optimizerKeysDependOnTheOptimizer() throws Exception {
    ConfigProblems e = problems("optimizer { name = sgd, lr = 0.1, betas = [0.9, 0.99] }\n");
    assertTrue(e.getMessage().contains("optimizer.betas: unknown key"), e.getMessage());
  }

  @Test
  void rpropIsRejectedInMiniBatchMode() throws Exception {
    ConfigProblems e = problems("optimizer { name = irprop-minus }\ntrain.batch_size = 128\n");
    assertTrue(e.getMessage().contains("train.batch_size = full"), e.getMessage());
  }

  @Test
  void setOverridesTheFileAndIsCheckedToo() throws Exception {
    TrainingConfig c = TestFiles.config("data.train = x\ntrain.epochs = 3\n", "train.epochs=7",
        "model.hidden=[64, 32]", "run.dir_root=/tmp/x y");
    assertEquals(7.0, c.train().epochs());
    assertEquals(64, c.model().hidden()[0]);
    assertEquals("/tmp/x y", c.run().dirRoot());
    ConfigProblems e = problems("", "train.epocs=2");
    assertTrue(e.getMessage().contains("--set train.epocs: train.epocs: unknown key"),
        e.getMessage());
  }

  @Test
  void fullBatchAndModelSpec() {
    TrainingConfig c = TestFiles.config("data.train = x\ntrain.batch_size = full\n"
        + "model { type = mlp, hidden = [8], activation = tanh, outputs = 3 }\n");
    assertEquals(TrainingConfig.FULL_BATCH, c.train().batchSize());
    ModelSpec spec = c.model().spec(5);
    assertEquals(5 * 8 + 8 + 8 * 3 + 3, spec.numParams());
  }

  @Test
  void renderedConfigRoundTripsWithTheSameHash() throws Exception {
    TrainingConfig c = TestFiles.config("data.train = x\ntrain.epochs = 2\n");
    Path f = dir.resolve("resolved.conf");
    Files.writeString(f, c.render());
    TrainingConfig again = TrainingConfig.from(ConfigLoader.userLayer(f.toFile(), List.of()));
    assertEquals(c.hash(), again.hash());
  }

  @Test
  void cosineScheduleIsAcceptedBeforeTheStepCountIsKnown() {
    TrainingConfig c = TestFiles.config("data.train = x\n"
        + "lr_schedule { type = cosine, warmup_steps = 10, min_lr = 1e-5 }\n");
    assertEquals(0.001, c.schedule(100).lr(11), 1e-12); // first post-warm-up step: base lr
  }

  @Test
  void scheduleKeysDependOnTheType() throws Exception {
    ConfigProblems e = problems("lr_schedule { type = constant, gamma = 0.5 }\n");
    assertTrue(e.getMessage().contains("lr_schedule.gamma: unknown key"), e.getMessage());
  }

  @Test
  void resolvedPartitionsAreRecorded() {
    TrainingConfig c = TestFiles.config("data.train = x\n");
    assertEquals(0, c.data().partitions());
    TrainingConfig resolved = c.withPartitions(6);
    assertEquals(6, resolved.data().partitions());
    assertTrue(resolved.render().contains("partitions = 6") || resolved.render()
        .contains("partitions=6"), resolved.render());
  }

  @Test
  void theReductionIsDecidedByPartitionsAndModelSizeOnly() throws Exception {
    String hocon = "data.train = x\noptimizer { name = adam }\n";
    TrainingConfig.Reduce auto = TestFiles.config(hocon).reduce();
    assertEquals(new TrainingConfig.Reduce("auto", 4, 256), auto);
    assertEquals(false, auto.tree(2, 203_530), "W1 stays direct");
    assertEquals(false, auto.tree(64, 203_530), "64 x 0.8 MB = 52 MB: direct");
    assertEquals(true, auto.tree(16, 4_100_000), "16 x 16.4 MB = 262 MB: tree");
    assertEquals(false, auto.tree(15, 4_100_000), "15 x 16.4 MB = 246 MB: direct");
    assertEquals(false, auto.signTree(64, 4_100_000), "sign steps: 64 x 0.51 MB = 33 MB: direct");
    assertEquals(true, auto.signTree(200, 20_000_000), "200 x 2.5 MB = 500 MB: tree");
    assertEquals(false, auto.signTree(102, 20_000_000), "102 x 2.5 MB = 255 MB: direct");
    TrainingConfig.Reduce tree = TestFiles.config(hocon, "reduce.mode=tree").reduce();
    assertEquals(false, tree.tree(4, 10), "no more partitions than groups: nothing to group");
    assertEquals(true, tree.tree(5, 10));
    assertEquals(true, tree.signTree(5, 10));
    assertEquals(false, tree.signTree(4, 10));
    assertEquals(false, TestFiles.config(hocon, "reduce.mode=direct").reduce()
        .tree(1000, 20_000_000));
    ConfigProblems e = problems("reduce.mode = star\nreduce.groups = 0\n");
    assertTrue(e.getMessage().contains("reduce.mode") && e.getMessage().contains(
        "reduce.groups"), e.getMessage());
  }

  @Test
  void theCompilerThreadsNiceValueIsANiceValue() throws Exception {
    String hocon = "data.train = x\noptimizer { name = adam }\n";
    assertEquals(19, TestFiles.config(hocon).spark().jitNice(), "the reference default");
    assertEquals(0, TestFiles.config(hocon, "spark.jit_nice=0").spark().jitNice());
    for (String bad : List.of("20", "-1", "low")) {
      ConfigProblems e = problems("", "spark.jit_nice=" + bad);
      assertTrue(e.getMessage().contains("spark.jit_nice"), e.getMessage());
    }
  }
}
