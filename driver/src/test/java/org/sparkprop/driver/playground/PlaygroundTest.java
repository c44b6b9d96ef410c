package org.sparkprop.driver.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkprop.driver.Main;

/**
 * The playground against what the optimizers are known to do: plain SGD with a safe step crawls
 * along Rosenbrock's valley while Adam reaches the minimum; Rprop's and sign descent's steps
 * have sizes that do not depend on the gradient's; momentum and Adam escape the saddle sooner
 * than SGD; Adagrad's steps shrink. And the command writes every picture and the table.
 */
class PlaygroundTest {
  static final int STEPS = 3000;

  @TempDir Path dir;

  private static Map<String, Playground.Run> runs(TestFunction f) {
    return Playground.run(f, Contestant.all(), STEPS, 42).stream()
        .collect(Collectors.toMap(r -> r.optimizer().label(), Function.identity()));
  }

  @Test
  void rosenbrockSgdCrawlsAdamArrives() {
    Map<String, Playground.Run> r = runs(TestFunction.ROSENBROCK);
    assertEquals(-1, r.get("sgd").stepsToTolerance(), "sgd within " + STEPS + " steps: final "
        + r.get("sgd").finalValue());
    assertTrue(r.get("sgd").finalValue() < r.get("sgd").value()[0], "sgd still went down");
    assertTrue(r.get("adam").stepsToTolerance() > 0, "adam: final " + r.get("adam").finalValue());
    assertTrue(r.get("momentum").stepsToTolerance() > 0
        || r.get("momentum").finalValue() < r.get("sgd").finalValue(), "momentum beats sgd");
  }

  @Test
  void rpropAndSignStepsDoNotDependOnTheGradientsSize() {
    for (TestFunction f : List.of(TestFunction.ROSENBROCK, TestFunction.RAVINE)) {
      Map<String, Playground.Run> r = runs(f);
      for (String rprop : List.of("rprop-plus", "rprop-minus", "irprop-plus", "irprop-minus")) {
        Playground.Run run = r.get(rprop);
        // The first step: the initial step size (lr) on both coordinates, though the gradient's
        // components differ by orders of magnitude.
        assertEquals(0.01, Math.abs(run.x()[1] - run.x()[0]), 1e-6, rprop + " x on " + f);
        assertEquals(0.01, Math.abs(run.y()[1] - run.y()[0]), 1e-6, rprop + " y on " + f);
      }
      Playground.Run sign = r.get("sign");
      double lr = sign.optimizer().lr(f);
      for (int t = 1; t <= 50; t++) {
        assertEquals(lr, Math.abs(sign.x()[t] - sign.x()[t - 1]), 1e-5, "sign x step " + t);
        assertEquals(lr, Math.abs(sign.y()[t] - sign.y()[t - 1]), 1e-5, "sign y step " + t);
      }
    }
  }

  @Test
  void momentumAndAdamEscapeTheSaddleSoonerThanSgd() {
    Map<String, Playground.Run> r = runs(TestFunction.SADDLE);
    int sgd = r.get("sgd").stepsToTolerance();
    assertTrue(sgd > 0, "sgd escapes at last");
    assertTrue(r.get("momentum").stepsToTolerance() < sgd, "momentum");
    assertTrue(r.get("adam").stepsToTolerance() < sgd, "adam");
  }

  @Test
  void adagradsStepsShrink() {
    Playground.Run a = runs(TestFunction.RAVINE).get("adagrad");
    double early = Math.hypot(a.x()[2] - a.x()[1], a.y()[2] - a.y()[1]);
    double late = Math.hypot(a.x()[201] - a.x()[200], a.y()[201] - a.y()[200]);
    assertTrue(late < 0.2 * early, "step 200 " + late + " vs step 1 " + early);
  }

  @Test
  void theCommandWritesThePicturesAndTheTable() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"playground", "--out", dir.toString(), "--steps", "500"},
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, code);
    for (TestFunction f : TestFunction.values()) {
      for (String kind : List.of("-paths.png", "-values.png")) {
        BufferedImage image = ImageIO.read(dir.resolve(f.displayName() + kind).toFile());
        assertNotNull(image, f + kind);
        assertEquals(PlaygroundCharts.WIDTH, image.getWidth());
        assertEquals(PlaygroundCharts.HEIGHT, image.getHeight());
      }
    }
    String table = Files.readString(dir.resolve("playground.md"));
    assertEquals(1 + 1 + 13 * TestFunction.values().length,
        table.lines().filter(l -> l.startsWith("|")).count(), table);
    assertTrue(table.contains("| rosenbrock | adam | 0.05 |"), table);
  }
}
