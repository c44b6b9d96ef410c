package org.sparkprop.driver.playground;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparkprop.driver.optim.Optimizer;
import org.sparkprop.driver.optim.OptimizerConfig;
import org.sparkprop.driver.optim.Optimizers;

/**
 * One optimizer of the playground: its label, its {@code optimizer} config section (the same
 * keys as a training config) and its learning rate on each test function. The rates are what a
 * practitioner would pick for the surface (plain gradient steps must stay below 2 / the
 * curvature; adaptive and sign methods take steps of about lr whatever the gradient's size).
 */
public record Contestant(String label, String section, double[] lrs) {

  /** The 13 optimizers sparkprop ships, momentum and Nesterov as SGD's variants. */
  public static List<Contestant> all() {
    //                  rosenbrock beale saddle ravine noisy
    double[] gradient = {1e-3, 1e-3, 0.05, 0.015, 0.015};
    double[] sign = {1e-3, 1e-3, 0.01, 0.01, 0.01};
    double[] adaptive = {0.05, 0.05, 0.05, 0.05, 0.05};
    double[] rprop = {0.01, 0.01, 0.01, 0.01, 0.01}; // Rprop's lr: its initial step size
    List<Contestant> out = new ArrayList<>();
    out.add(new Contestant("sgd", "name = sgd", gradient));
    out.add(new Contestant("momentum", "name = sgd, momentum = 0.9", gradient));
    out.add(new Contestant("nesterov", "name = sgd, momentum = 0.9, nesterov = true", gradient));
    out.add(new Contestant("adagrad", "name = adagrad", new double[] {0.5, 0.5, 0.5, 0.5, 0.5}));
    out.add(new Contestant("rmsprop", "name = rmsprop", new double[] {0.01, 0.01, 0.01, 0.01,
        0.01}));
    out.add(new Contestant("adam", "name = adam", adaptive));
    out.add(new Contestant("adamw", "name = adamw", adaptive));
    for (String rp : List.of("rprop-plus", "rprop-minus", "irprop-plus", "irprop-minus")) {
      out.add(new Contestant(rp, "name = " + rp, rprop));
    }
    out.add(new Contestant("sign", "name = sign", sign));
    out.add(new Contestant("signum", "name = signum", sign));
    return out;
  }

  /** The learning rate on {@code f}. */
  public double lr(TestFunction f) {
    return lrs[f.ordinal()];
  }

  /** A fresh optimizer for two parameters with the rate for {@code f}. */
  Optimizer create(TestFunction f) {
    List<String> problems = new ArrayList<>();
    OptimizerConfig c = Optimizers.fromConfig(ConfigFactory.parseString(section + ", lr = "
        + String.format(Locale.ROOT, "%s", lr(f))), problems);
    if (c == null) {
      throw new IllegalStateException(label + ": " + problems);
    }
    return c.create(2);
  }
}
