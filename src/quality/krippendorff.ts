/**
 * Krippendorff's α for nominal data.
 *
 * A unit is one object; its values are what each annotator said about it: a class, or "did not
 * annotate" (a value like any other, so leaving an object out counts as disagreeing). Units with
 * fewer than two values carry no pairable information and are skipped.
 *
 * With f_v(u) the number of v's in unit u (m_u values), the coincidences give
 *   n_v = Σ_u f_v(u),  n = Σ_v n_v,
 *   D_o ∝ Σ_u (m_u² − Σ_v f_v(u)²) / (m_u − 1)   (ordered pairs of differing values, per unit),
 *   D_e ∝ (n² − Σ_v n_v²) / (n − 1),
 *   α = 1 − D_o / D_e = 1 − (n − 1) · Σ_u (…) / (n² − Σ_v n_v²).
 * α is undefined (null) when all values are one and the same (no variation to explain).
 */

/** The value of "this annotator did not annotate the object". */
export const NOT_ANNOTATED = '∅';

export type AlphaReading = 'reliable' | 'tentative' | 'unreliable' | 'undefined';

export interface AlphaResult {
  /** In (−1, 1]; null when undefined. */
  readonly alpha: number | null;
  /** ≥ 0.8 reliable, 0.667 to 0.8 tentative, below unreliable (Krippendorff's guidance). */
  readonly reading: AlphaReading;
  /** Units that took part. */
  readonly units: number;
}

export function alphaReading(alpha: number | null): AlphaReading {
  if (alpha === null) return 'undefined';
  return alpha >= 0.8 ? 'reliable' : alpha >= 0.667 ? 'tentative' : 'unreliable';
}

/**
 * Accumulates units; α over everything added so far, overall and for each value against the
 * rest (the per-class α: every value other than v counted as one value "not v").
 */
export class AlphaAccumulator {
  #disagreement = 0;
  #units = 0;
  #values = 0;
  readonly #totals = new Map<string, number>();
  /** Per value v: Σ_u 2·f_v(u)·(m_u − f_v(u)) / (m_u − 1), the disagreement of "v against the rest". */
  readonly #versusRest = new Map<string, number>();

  /** Adds one unit: its values, one per annotator (use NOT_ANNOTATED for a missing one). */
  add(values: readonly string[]): void {
    const m = values.length;
    if (m < 2) return;
    const freq = new Map<string, number>();
    for (const v of values) freq.set(v, (freq.get(v) ?? 0) + 1);
    let sumSq = 0;
    for (const [v, f] of freq) {
      sumSq += f * f;
      this.#totals.set(v, (this.#totals.get(v) ?? 0) + f);
      this.#versusRest.set(v, (this.#versusRest.get(v) ?? 0) + (2 * f * (m - f)) / (m - 1));
    }
    this.#disagreement += (m * m - sumSq) / (m - 1);
    this.#units++;
    this.#values += m;
  }

  /**
   * α of value v against all other values merged into one: with n_v of N values being v,
   * α = 1 − (N − 1) · D_v / (2 · n_v · (N − n_v)); undefined when every value is v or none is.
   */
  resultVersusRest(v: string): AlphaResult {
    const n = this.#values;
    const nv = this.#totals.get(v) ?? 0;
    const expected = 2 * nv * (n - nv);
    const alpha = expected > 0 ? 1 - ((n - 1) * (this.#versusRest.get(v) ?? 0)) / expected : null;
    return { alpha, reading: alphaReading(alpha), units: this.#units };
  }

  result(): AlphaResult {
    let n = 0;
    let sumSq = 0;
    for (const f of this.#totals.values()) {
      n += f;
      sumSq += f * f;
    }
    const expected = n * n - sumSq;
    const alpha = expected > 0 ? 1 - ((n - 1) * this.#disagreement) / expected : null;
    return { alpha, reading: alphaReading(alpha), units: this.#units };
  }
}

/** α of a list of units (see AlphaAccumulator.add). */
export function nominalAlpha(units: readonly (readonly string[])[]): AlphaResult {
  const acc = new AlphaAccumulator();
  for (const u of units) acc.add(u);
  return acc.result();
}
