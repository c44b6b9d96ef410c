package org.sparkprop.driver.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plain-loop reference implementations, written from the formulas of the issue (and of Igel &amp;
 * Hüsken 2000 for Rprop), one small class per optimizer, in double. They model the one thing the
 * contract fixes about precision: every value that is stored (parameter or state entry) is a
 * float32, so it is rounded with {@code (float)} when stored. Nothing here is shared with the
 * production code except the config accessors.
 */
abstract class ReferenceOptimizer {

  final int n;
  final boolean[] mask;
  /** State arrays under the names the contract documents, in the documented order. */
  final Map<String, float[]> state = new LinkedHashMap<>();
  final Map<String, Double> scalars = new LinkedHashMap<>();
  /**
   * For a state array that an optimizer may compute in float32 as a sum of terms: per entry, the
   * sum of the terms' magnitudes in the last step. Float32 rounding is measured against it, not
   * against the result, which is small where the terms cancel. Absent: the result's own size.
   */
  final Map<String, double[]> termScale = new LinkedHashMap<>();
  long t;

  ReferenceOptimizer(int n, boolean[] mask) {
    this.n = n;
    this.mask = mask;
  }

  float[] array(String name) {
    float[] a = new float[n];
    state.put(name, a);
    return a;
  }

  boolean decayed(int i) {
    return mask == null || mask[i];
  }

  /** One step; {@code grad} is not modified. */
  abstract void step(float[] params, float[] grad, double lr, double loss);

  static ReferenceOptimizer of(OptimizerConfig c, int n, boolean[] mask) {
    if (c instanceof SgdConfig) {
      return new Sgd((SgdConfig) c, n, mask);
    } else if (c instanceof AdagradConfig) {
      return new Adagrad((AdagradConfig) c, n, mask);
    } else if (c instanceof RmsPropConfig) {
      return new RmsProp((RmsPropConfig) c, n, mask);
    } else if (c instanceof AdamConfig) {
      return new Adam((AdamConfig) c, n, mask);
    } else if (c instanceof RpropConfig) {
      return new Rprop((RpropConfig) c, n, mask);
    } else {
      return new Sign((SignConfig) c, n, mask);
    }
  }

  /** sgd: g += wd·θ; b = g (t = 1) else μb + (1−τ)g; nesterov: g + μb; θ −= lr·(...). */
  static final class Sgd extends ReferenceOptimizer {
    final SgdConfig c;
    final float[] buf;

    Sgd(SgdConfig c, int n, boolean[] mask) {
      super(n, mask);
      this.c = c;
      buf = c.momentum() != 0 ? array("momentum_buffer") : null;
    }

    @Override
    void step(float[] params, float[] grad, double lr, double loss) {
      t++;
      for (int i = 0; i < n; i++) {
        double g = grad[i] + (decayed(i) ? c.weightDecay() * params[i] : 0.0);
        double direction;
        if (buf == null) {
          direction = g;
        } else {
          double b;
          if (t == 1) {
            b = g;
          } else {
            b = c.momentum() * buf[i] + (1 - c.dampening()) * g;
          }
          buf[i] = (float) b;
          direction = c.nesterov() ? g + c.momentum() * b : b;
        }
        params[i] = (float) (params[i] - lr * direction);
      }
    }
  }

  /** adagrad: clr = lr/(1+(t−1)·lr_decay); s += g²; θ −= clr·g/(√s + eps). */
  static final class Adagrad extends ReferenceOptimizer {
    final AdagradConfig c;
    final float[] sum;

    Adagrad(AdagradConfig c, int n, boolean[] mask) {
      super(n, mask);
      this.c = c;
      sum = array("sum");
      for (int i = 0; i < n; i++) {
        sum[i] = (float) c.initialAccumulatorValue();
      }
    }

    @Override
    void step(float[] params, float[] grad, double lr, double loss) {
      t++;
      for (int i = 0; i < n; i++) {
        double g = grad[i] + (decayed(i) ? c.weightDecay() * params[i] : 0.0);
        double clr = lr / (1.0 + (t - 1) * c.lrDecay());
        double s = sum[i] + g * g;
        sum[i] = (float) s;
        double std = Math.sqrt(s) + c.eps();
        params[i] = (float) (params[i] - clr * g / std);
      }
    }
  }

  /** rmsprop: v = αv + (1−α)g²; centered ḡ; d = √(v − ḡ²) + eps; momentum b = μb + g/d. */
  static final class RmsProp extends ReferenceOptimizer {
    final RmsPropConfig c;
    final float[] v;
    final float[] gbar;
    final float[] buf;

    RmsProp(RmsPropConfig c, int n, boolean[] mask) {
      super(n, mask);
      this.c = c;
      v = array("square_avg");
      gbar = c.centered() ? array("grad_avg") : null;
      buf = c.momentum() > 0 ? array("momentum_buffer") : null;
    }

    @Override
    void step(float[] params, float[] grad, double lr, double loss) {
      t++;
      double a = c.alpha();
      for (int i = 0; i < n; i++) {
        double g = grad[i] + (decayed(i) ? c.weightDecay() * params[i] : 0.0);
        double vi = a * v[i] + (1 - a) * g * g;
        v[i] = (float) vi;
        double variance = vi;
        if (gbar != null) {
          double m = a * gbar[i] + (1 - a) * g;
          gbar[i] = (float) m;
          variance = Math.max(0.0, vi - m * m);
        }
        double d = Math.sqrt(variance) + c.eps();
        if (buf != null) {
          double b = c.momentum() * buf[i] + g / d;
          buf[i] = (float) b;
          params[i] = (float) (params[i] - lr * b);
        } else {
          params[i] = (float) (params[i] - lr * g / d);
        }
      }
    }
  }

  /** adam/adamw, PyTorch's formulas, amsgrad keeps the max of the raw v. */
  static final class Adam extends ReferenceOptimizer {
    final AdamConfig c;
    final float[] m;
    final float[] v;
    final float[] vmax;

    Adam(AdamConfig c, int n, boolean[] mask) {
      super(n, mask);
      this.c = c;
      m = array("exp_avg");
      v = array("exp_avg_sq");
      vmax = c.amsgrad() ? array("max_exp_avg_sq") : null;
      termScale.put("exp_avg", new double[n]); // v's terms are both >= 0: its own size will do
    }

    @Override
    void step(float[] params, float[] grad, double lr, double loss) {
      t++;
      boolean decoupled = c.name().equals("adamw");
      for (int i = 0; i < n; i++) {
        double theta = params[i];
        double g = grad[i];
        if (decayed(i)) {
          if (decoupled) {
            theta = theta * (1 - lr * c.weightDecay());
          } else {
            g = g + c.weightDecay() * params[i];
          }
        }
        double mi = c.beta1() * m[i] + (1 - c.beta1()) * g;
        double vi = c.beta2() * v[i] + (1 - c.beta2()) * g * g;
        termScale.get("exp_avg")[i] = Math.abs(c.beta1() * m[i]) + Math.abs((1 - c.beta1()) * g);
        m[i] = (float) mi;
        v[i] = (float) vi;
        double second = vi;
        if (vmax != null) {
          second = Math.max(vmax[i], vi);
          vmax[i] = (float) second;
        }
        double mhat = mi / (1 - Math.pow(c.beta1(), t));
        double denom = Math.sqrt(second) / Math.sqrt(1 - Math.pow(c.beta2(), t)) + c.eps();
        params[i] = (float) (theta - lr * mhat / denom);
      }
    }
  }

  /** The four Rprop variants, branch by branch as in Igel &amp; Hüsken (2000), Fig. 1–4. */
  static final class Rprop extends ReferenceOptimizer {
    final RpropConfig c;
    final float[] prevGrad;
    final float[] stepSize;
    final float[] prevDelta;

    Rprop(RpropConfig c, int n, boolean[] mask) {
      super(n, mask);
      this.c = c;
      prevGrad = array("prev_grad");
      stepSize = array("step_size");
      for (int i = 0; i < n; i++) {
        stepSize[i] = (float) c.lr();
      }
      boolean plus =
          c.variant() == RpropConfig.Variant.RPROP_PLUS
              || c.variant() == RpropConfig.Variant.IRPROP_PLUS;
      prevDelta = plus ? array("prev_delta") : null;
      if (c.variant() == RpropConfig.Variant.IRPROP_PLUS) {
        scalars.put("prev_loss", Double.NaN);
      }
    }

    @Override
    void step(float[] params, float[] grad, double lr, double loss) {
      t++;
      boolean lossWentUp = false;
      if (c.variant() == RpropConfig.Variant.IRPROP_PLUS) {
        double penalty = 0;
        for (int i = 0; i < n; i++) {
          if (decayed(i)) {
            penalty += 0.5 * c.weightDecay() * params[i] * params[i];
          }
        }
        double e = loss + penalty;
        lossWentUp = e > scalars.get("prev_loss");
        scalars.put("prev_loss", e);
      }
      for (int i = 0; i < n; i++) {
        float g = (float) (grad[i] + (decayed(i) ? c.weightDecay() * params[i] : 0.0));
        double before = prevGrad[i];
        double delta = stepSize[i];
        if (before * g > 0) {
          delta = Math.min(delta * c.etaPlus(), c.maxStep());
          stepSize[i] = (float) delta;
          move(params, i, -Math.signum(g) * delta);
          prevGrad[i] = g;
        } else if (before * g < 0) {
          delta = Math.max(delta * c.etaMinus(), c.minStep());
          stepSize[i] = (float) delta;
          switch (c.variant()) {
            case RPROP_PLUS:
              move(params, i, -prevDelta[i]);
              prevGrad[i] = 0;
              break;
            case IRPROP_PLUS:
              move(params, i, lossWentUp ? -prevDelta[i] : 0.0);
              prevGrad[i] = 0;
              break;
            case RPROP_MINUS:
              move(params, i, -Math.signum(g) * delta);
              prevGrad[i] = g;
              break;
            case IRPROP_MINUS:
            default:
              prevGrad[i] = 0;
              break;
          }
        } else {
          move(params, i, -Math.signum(g) * delta);
          prevGrad[i] = g;
        }
      }
    }

    private void move(float[] params, int i, double change) {
      params[i] = (float) (params[i] + change);
      if (prevDelta != null) {
        prevDelta[i] = (float) change;
      }
    }
  }

  /** sign: θ −= lr·sign(g); signum: b = μb + (1−μ)g, θ −= lr·sign(b). */
  static final class Sign extends ReferenceOptimizer {
    final SignConfig c;
    final float[] buf;

    Sign(SignConfig c, int n, boolean[] mask) {
      super(n, mask);
      this.c = c;
      buf = c.variant() == SignConfig.Variant.SIGNUM ? array("momentum_buffer") : null;
    }

    @Override
    void step(float[] params, float[] grad, double lr, double loss) {
      t++;
      for (int i = 0; i < n; i++) {
        double g = grad[i] + (decayed(i) ? c.weightDecay() * params[i] : 0.0);
        if (buf != null) {
          double b = c.momentum() * buf[i] + (1 - c.momentum()) * g;
          buf[i] = (float) b;
          g = b;
        }
        params[i] = (float) (params[i] - lr * Math.signum(g));
      }
    }
  }
}
