/**
 * The claim catalogue: ONE typed record per claim the suite checks, read by the registry functions
 * (src/claims/registry.ts), the ledger's per-claim summaries (src/ledger/ledger.ts), the exit rule
 * (src/ledger/judgement.ts), the report (src/report/render.ts), `verify`'s file selection, and
 * `docs/claims.md` (generated from this file by `node bin/run-ts.mjs src/claims/docs.ts`; a test
 * fails when the document is stale).
 *
 * The two papers (called P1 and P2 in the ids) study recursive retraining of score-based diffusion
 * models: generation i+1 samples a model trained on q_i = α p_data + (1−α) p̂^i (fresh-data share α)
 * through the reverse-time SDE of the Ornstein–Uhlenbeck (OU) forward process
 * dX = −½X dt + dB, stopped early at t0 > 0, so a perfect model outputs P_t0 q_i (P_t the OU kernel
 * on laws). D_i = χ²(p̂^i ‖ p_data) is the accumulated divergence and I_i = χ²(p̂^{i+1} ‖ q_i) the
 * intra-generation one; ε⋆,i² and ε̂_i² are the score-error energies ∫ E‖e(Y_t, t)‖² dt along the
 * ideal and the learned reverse paths, and η ∈ [0, 1] is the share of the path error visible at
 * the output (P1-3.2). Source tags: [V] formula seen in the paper, [S] described in words, [I]
 * derived by this project (a claim to check, not a fact).
 *
 * How to add evidence (another engineer's property file or check):
 *  - a file whose checks record claim X: add `{ file: 'properties/…/x.test.ts', checks: ['<check
 *    name as written in checkProperty>', …] }` to X's `evidence` (a name may be a prefix of the
 *    recorded name, e.g. without a deep-tier suffix);
 *  - a check recorded under claim Y that also gives evidence for X: write `alsoServes: ['X']` in
 *    its `checkProperty({ claimId: 'Y', … })` call and add `{ file, checks: [name], via: 'Y' }` to
 *    X's `evidence` (the ledger then counts that entry in X's summary too);
 *  - a property file that tests X's oracle without recording X: add it to X's `supportFiles`;
 *  - once X has checks, drop `pending: true`.
 *  properties/exact/claims-catalogue.test.ts checks both directions (every file that records a claim
 *  is listed under it; every listed file and named check exists) and imports every oracle ref.
 */

/** Where the statement comes from: [V] seen as a formula, [S] described in words, [I] derived here. */
export type SourceTag = '[V]' | '[S]' | '[I]' | '[V]/[I]' | '[V]/[S]' | '[V], [S], [I]';

/** A project module and one of its exports, `path/from/root.ts#exportName` (resolved by a test). */
export type ModuleRef = `${string}.ts#${string}`;

/** An independent oracle of the claim's checks. */
export interface OracleRef {
  readonly ref: ModuleRef;
  /** what the oracle computes for this claim */
  readonly role: string;
}

/** A property file whose checks give evidence for the claim. */
export interface Evidence {
  /** project-relative property file */
  readonly file: string;
  /** the checks' names (as passed to checkProperty / recorded), or a prefix of them */
  readonly checks: readonly string[];
  /** the checks are recorded under this other claim id and serve this claim via `alsoServes` */
  readonly via?: string;
}

export interface ClaimRecord {
  readonly id: string;
  readonly title: string;
  readonly statement: string;
  /** where it comes from (paper and place), without the tag */
  readonly source: string;
  readonly tag: SourceTag;
  readonly assumptions: readonly string[];
  /** worked examples and known values that pin the statement (recomputable from it) */
  readonly anchors: readonly string[];
  /** status the suite expects for the claim */
  readonly expected: 'holds' | 'fails-as-stated';
  /**
   * true while the claim's checks are being written: a run without entries for it reports
   * `not-yet-checked` without failing. A pending claim that has entries is judged like any other.
   */
  readonly pending?: boolean;
  readonly evidence: readonly Evidence[];
  /** property files that test the claim's oracles or machinery without recording the claim */
  readonly supportFiles: readonly string[];
  /** one-paragraph description of the oracles (shown in the ledger and the report) */
  readonly oracle: string;
  readonly oracles: readonly OracleRef[];
}

export const CATALOGUE: readonly ClaimRecord[] = [
  {
    id: 'P1-F1',
    title: 'refresh identity',
    statement: 'χ²(α p + (1−α) r ‖ p) = (1−α)² χ²(r ‖ p) for any laws; KL only has the convexity inequality KL(αp+(1−α)r ‖ p) ≤ (1−α) KL(r‖p)',
    source: 'P1 Lemma F.1',
    tag: '[V]',
    assumptions: ['r ≪ p (else both sides +∞)'],
    anchors: ['α = 1: both sides 0', 'r = p: both sides 0', 'α = 0: χ²(r‖p) = χ²(r‖p)'],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p1-f1-refresh-identity.test.ts', checks: ['chi2 identity, closed forms (Gaussian pairs, d 1-10)', 'chi2 identity, Monte Carlo vs closed form', 'KL convexity inequality, Monte Carlo'] }],
    supportFiles: [],
    oracle: 'Gaussian closed forms for χ²(r‖p), ∫r²/p and the cross term; Monte Carlo under p for the mixture χ² and KL',
    oracles: [
      { ref: 'properties/theorems/cases/p1-f1.ts#refreshClosedForm', role: 'both sides from Gaussian closed forms of ∫r²/p and the cross term ∫r' },
      { ref: 'src/divergences/gaussian.ts#gaussianChiSquare', role: 'χ²(r‖p) between Gaussians, with the finiteness test 2S_r⁻¹ − S_p⁻¹ ≻ 0' },
    ],
  },
  {
    id: 'P1-3.1',
    title: 'Girsanov KL bound',
    statement: 'KL(p̂^{i+1} ‖ q_i) ≤ ½ ε̂_i², read (D-2) as KL(learned output ‖ ideal output of the same start)',
    source: 'P1 Prop 3.1',
    tag: '[V]',
    assumptions: ['A1 finite energy', 'A2 Novikov', 'equal start laws for learned and ideal paths (else add KL of the starts, chain rule)'],
    anchors: ['zero error: both sides 0', 'learned model a GMM q̃: KL(P_t0 q̃ ‖ P_t0 q) = KL(P_T q̃ ‖ P_T q) + ½ ε̂² holds with equality (path KL = start KL + Girsanov term)'],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p1-3.1-girsanov-kl.test.ts', checks: ['Gaussian world, KL ≤ start KL + ½ ε̂² (ODE oracle)', 'GMM-model world, KL_t0 ≤ KL_T + ½ ε̂² (Monte Carlo)'] }],
    supportFiles: [],
    oracle: 'linear-Gaussian world: output moments by the reverse-time moment ODE, KL closed form, ε̂² by quadrature; GMM-model world: exact marginals P_t q̃, P_t q, KL and ε̂² by Monte Carlo under P_t q̃',
    oracles: [
      { ref: 'src/oracles/linear-gaussian.ts#solveMomentOde', role: 'output mean and covariance of the linear reverse SDE (reverse-time moment ODE)' },
      { ref: 'src/divergences/gaussian.ts#gaussianKL', role: 'KL between the Gaussian outputs' },
      { ref: 'properties/theorems/cases/p1-3.1.ts#girsanovMixture', role: 'GMM-model world: exact marginals of both laws, KL and ε̂² under P_t q̃' },
    ],
  },
  {
    id: 'P1-3.2',
    title: 'observability: Var M = ε⋆², η ∈ [0,1]',
    statement: 'M = −∫ e(Y_t,t)·dB̄_t along the ideal path has Var M = ε⋆² (Itô isometry) and η = Var E[M|Y_t0] / ε⋆² ∈ [0,1]',
    source: 'P1 Def 3.2',
    tag: '[V]',
    assumptions: ['ε⋆² < ∞'],
    anchors: ['stationary N(0, I) data, constant error e = b over duration s: ε⋆² = ‖b‖² s and η = 4(1 − e^{−s/2})² / s (0.8145 at s = 2.5)', 'η = 0 when ε⋆² = 0 (convention)'],
    expected: 'holds',
    evidence: [
      { file: 'properties/theorems/p1-3.2-observability.test.ts', checks: ['Var M = discrete ε⋆² (Itô isometry) and 0 ≤ η ≤ 1, Gaussian data d 1-4'] },
      { file: 'properties/theorems/p1-3.2-families.test.ts', checks: ['exact η (Wiener chaos) = 4(1−e^{−s/2})²/s (shift)', 'exact η ∈ [0, 1] for aligned, random, time-oscillation, constant-shift and random affine errors', 'regression η̂ (observability.ts) = exact η of the Euler–Maruyama functional'] },
    ],
    supportFiles: ['properties/statistical/energies.test.ts'],
    oracle: 'exact η by Wiener-chaos projection (linear-Gaussian); constant-shift closed form η = 4(1−e^{−s/2})²/s; regression on (1, y, yyᵀ) with cross-fitting cross-checked against the exact η',
    oracles: [
      { ref: 'src/oracles/linear-gaussian-observability.ts#exactEta', role: 'exact continuous-time η' },
      { ref: 'src/oracles/linear-gaussian-observability.ts#exactEtaEulerMaruyama', role: 'exact η of the Euler–Maruyama functional the regression simulates' },
      { ref: 'src/energies/observability.ts#etaConstantShiftStationary', role: 'closed-form η of a constant shift on stationary N(0, I) data' },
      { ref: 'src/oracles/linear-gaussian.ts#chainMoments', role: 'exact moments of the discrete chain (discrete Itô isometry for E[M²])' },
    ],
  },
  {
    id: 'P1-3.3',
    title: 'χ² lower bound',
    statement: 'for ε⋆² ≤ 1: χ²(p̂^{i+1} ‖ q_i) ≥ ¼ η ε⋆² − C ε⋆⁴; clean form ≥ ⅛ η ε⋆² once ε⋆² ≤ min(1, η/(8C))',
    source: 'P1 Prop 3.3',
    tag: '[V]',
    assumptions: ['reference = ideal output P_t0 q_i (D-2)'],
    anchors: ['leading order (D-1): χ² = η ε⋆² + O(ε⋆³), so the constant ¼ is loose by 4× as ε⋆ → 0'],
    expected: 'holds',
    evidence: [
      { file: 'properties/theorems/p1-3.3-lower-bound.test.ts', checks: ['scaling families e = λe₀, linear-Gaussian exact'] },
      { file: 'properties/theorems/p1-3.4-grid-world.test.ts', checks: ['nonlinear errors on 1-D GMM data (grid χ²): ¼ η_proj ε⋆² ≤ χ²'] },
    ],
    supportFiles: [],
    oracle: 'linear-Gaussian world: exact η by Wiener-chaos projection, output law by a deviation ODE, χ² closed form; 1-D grid world (Fokker–Planck) for nonlinear errors',
    oracles: [
      { ref: 'src/oracles/linear-gaussian-observability.ts#exactEta', role: 'exact η = Var E[M|Y_t0] / ε⋆² (Wiener-chaos projection, Itô moment ODEs)' },
      { ref: 'src/oracles/fokker-planck-1d.ts#fokkerPlanck1d', role: 'grid world: output density under a nonlinear error' },
      { ref: 'src/oracles/linear-gaussian-deviation.ts#outputDeviation', role: 'output law of the learned chain as a deviation from the ideal output (moment ODE)' },
      { ref: 'src/divergences/gaussian.ts#gaussianChiSquare', role: 'χ² between the Gaussian outputs' },
    ],
  },
  {
    id: 'P1-3.4',
    title: 'χ² upper bound, I_i ≍ ε⋆²',
    statement: 'χ²(p̂^{i+1} ‖ q_i) ≤ 4 ε⋆² + c ε⋆⁴; with P1-3.3, I_i ≍ ε⋆,i² when η is bounded below',
    source: 'P1 Thm 3.4 (v1: 3.5)',
    tag: '[V]',
    assumptions: [
      'reference = ideal output P_t0 q_i (D-2); against q_i itself it fails for small errors at fixed t0',
      'small errors: ε⋆² below the scale where χ²(p̂ ‖ P_t0 q_i) becomes +∞ (the learned output’s covariance must stay below twice the reference’s). The paper’s regime ε⋆² ≤ 1 is not enough: `collapse-check fuzz --claim P1-3.4` found χ² = +∞ at ε⋆² = 0.479 (d = 3, N(0, I) data, random error λ = 0.2, T = 4, t0 = 0.01; fixtures/counterexamples/P1-3.3-3.4/none-finite-chi2-upper-seed1.json), which no finite c covers. The checks stay below the first scale with χ² = +∞',
    ],
    anchors: ['leading order (D-1): χ² = η ε⋆² + O(ε⋆³) ≤ ε⋆², so the constant 4 is loose by ≥ 4× as ε⋆ → 0'],
    expected: 'holds',
    evidence: [
      { file: 'properties/theorems/p1-3.4-upper-bound.test.ts', checks: ['scaling families e = λe₀, linear-Gaussian exact', 'I ≍ ε⋆²: ⅛ηε⋆² ≤ χ²(p̂‖P_t0 q) ≤ 4ε⋆²'] },
      { file: 'properties/theorems/p1-3.4-grid-world.test.ts', checks: ['nonlinear errors λ sin(ωx), λ tanh(x)·g(t) on 1-D GMM data (Fokker–Planck grid): χ²(p̂‖ideal) ≤ 4ε⋆²'] },
      { file: 'properties/theorems/d-2-reference-matters.test.ts', checks: ['χ²(p̂‖P_t0 q) ≤ 4ε⋆² for the same small errors (Gaussian world, ODE oracle)'], via: 'D-2' },
    ],
    supportFiles: [],
    oracle: 'linear-Gaussian world: exact η, output law by a deviation ODE, χ² closed form; 1-D grid world for nonlinear errors',
    oracles: [
      { ref: 'src/oracles/linear-gaussian-observability.ts#exactEta', role: 'exact η (lower side of I ≍ ε⋆²)' },
      { ref: 'src/oracles/linear-gaussian-deviation.ts#outputDeviation', role: 'output law of the learned chain as a deviation from the ideal output' },
      { ref: 'src/oracles/linear-gaussian.ts#solveMomentOde', role: 'output law of the linear reverse SDE' },
      { ref: 'src/divergences/gaussian.ts#gaussianChiSquare', role: 'χ² between the Gaussian outputs' },
      { ref: 'src/oracles/fokker-planck-1d.ts#fokkerPlanck1d', role: 'grid world: output density of the reverse SDE under a nonlinear error (Fokker–Planck on a grid)' },
    ],
  },
  {
    id: 'P1-4.0',
    title: 'innovation inequality',
    statement: 'D_{i+1} + (1−α)² D_i ≥ (α/2) I_i (uses only q_i ≥ α p_data)',
    source: 'P1 (reconstructed)',
    tag: '[V]/[I]',
    assumptions: ['q_i = α p_data + (1−α) p̂^i'],
    anchors: ['α = 0: the right side is 0'],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p1-4.0-innovation.test.ts', checks: ['D_{i+1} + (1−α)² D_i ≥ (α/2) I_i, 1-D GMM world, exact laws (quadrature)'] }],
    supportFiles: [],
    oracle: 'Gaussian / GMM recursion with closed-form χ²',
    oracles: [{ ref: 'src/divergences/gaussian-mixture-1d.ts#mixtureChiSquare1d', role: 'χ² between 1-D mixtures by quadrature with +∞ detected' }],
  },
  {
    id: 'P1-4.1i',
    title: 'divergent energy ⇒ divergent accumulated χ²',
    statement: 'Σ ε⋆,i² = ∞ ⇒ Σ D_i = ∞ (not D_i ↛ 0: ε⋆,i² = 1/(i+1), D_i = c/(i+1) is compatible)',
    source: 'P1 Prop 4.1(i)',
    tag: '[V]',
    assumptions: ['η_i bounded below'],
    anchors: ['ε⋆,i² = 1/(i+1) with D_i = c/(i+1): Σ D_i = ∞ although D_i → 0'],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p1-4.1i-divergent-energy.test.ts', checks: ['Σ_{i≤N} D_i ≥ (α/2) Σ_{i<N} I_i / (1+(1−α)²) for every N', 'compatible example: harmonic systematic errors, t0 = 0'] }],
    supportFiles: [],
    oracle: 'translation-error recursion in the 1-D GMM world (closed-form D_i, quadrature I_i, ε⋆,i², η_i)',
    oracles: [
      { ref: 'src/oracles/translation-error-recursion.ts#translationErrorRecursion', role: 'exact GMM recursion under translation errors (closed-form D_i)' },
      { ref: 'src/divergences/gaussian-mixture-1d.ts#mixtureChiSquare1d', role: 'I_i = χ² between 1-D mixtures by quadrature' },
      { ref: 'src/energies/translation-error-energy.ts#translationErrorEnergy', role: 'ε⋆,i² of a translation error by quadrature' },
    ],
  },
  {
    id: 'P1-4.1ii',
    title: 'collapse floor',
    statement: 'if ε⋆,i² ≥ ε_floor eventually and η_i ≥ η_floor: limsup D_i ≥ α η_floor ε_floor / (16 (1 + (1−α)²))',
    source: 'P1 Prop 4.1(ii)',
    tag: '[V]',
    assumptions: [
      'the score error does not undo the t0-smoothing: `collapse-check fuzz --claim P1-4.1` found data N(1, 1), t0 = 0.1, α = 0.5 with an error of energy ε_floor = 0.1 that exactly cancels the OU mean shrinkage, so D_i = 0 for every i while the bound is 5.9e-5 (fixtures/counterexamples/P1-4.1/none-no-t0-compensation-seed1.json); the checks use translation errors that do not compensate the smoothing',
    ],
    anchors: [],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p1-4.1ii-collapse-floor.test.ts', checks: ['limsup D_i ≥ α η_floor ε_floor / (16(1+(1−α)²))'] }],
    supportFiles: [],
    oracle: 'translation-error recursion in the 1-D GMM world (closed-form D_i, quadrature I_i, ε⋆,i², η_i)',
    oracles: [
      { ref: 'src/oracles/translation-error-recursion.ts#translationErrorRecursion', role: 'exact GMM recursion under translation errors (closed-form D_i)' },
      { ref: 'src/energies/translation-error-energy.ts#translationErrorEnergy', role: 'ε⋆² of a translation error by quadrature' },
      { ref: 'src/energies/translation-error-energy.ts#translationErrorObservability', role: 'η_i of a translation error (conditional-expectation quadrature)' },
    ],
  },
  {
    id: 'P1-4.2',
    title: 'discounted decomposition (multiplicative form)',
    statement: 'D_{N+1} + C_bias ≍ Σ_{i=i0}^{N} (1−α)^{2(N−i)} ε⋆,i² + (1−α)^{2(N+1−i0)} D_{i0}: cannot hold when Σ ε⋆,i² < ∞; additive versions and exact geometric decay D_{j+1} = (1−α)² D_j after the last error do',
    source: 'P1 Thm 4.2',
    tag: '[V]',
    assumptions: ['C_bias > 0'],
    anchors: ['Σ ε⋆,i² < ∞: the right side → 0 while the left side ≥ C_bias > 0', 'exact sampling, t0 = 0, no further error: D_{j+1} = (1−α)² D_j (memory ≈ 1/α generations)'],
    expected: 'fails-as-stated',
    evidence: [{ file: 'properties/theorems/p1-4.2-discounted-decomposition.test.ts', checks: ['multiplicative form with summable errors', 'exact geometric decay D_{j+1} = (1−α)² D_j (t0 = 0, exact sampling)', 'additive upper bound D_{N+1} ≤ ((1+γ)(1−α)²)^{N+1} D_0', 'single-error response R[N][i] = (1−α)^{2(N−i−1)} R[i+1][i]'] }],
    supportFiles: [],
    oracle: 'explicit error family with Σ ε⋆² < ∞ in the Gaussian recursion; exact-sampling recursion with t0-smoothing off',
    oracles: [
      { ref: 'src/divergences/mixture-vs-gaussian.ts#mixtureChiSquare', role: 'χ² of a Gaussian mixture against a Gaussian, closed form' },
      { ref: 'src/oracles/translation-error-recursion.ts#translationErrorRecursion', role: 'exact recursion under summable translation errors' },
      { ref: 'src/oracles/innovation-distance.ts#l2OverGaussian1d', role: 'J = ∫(f − g)²/p_data in closed form (additive bound)' },
      { ref: 'src/oracles/contribution-matrix.ts#singleErrorResponse', role: 'contribution of generation i’s error to D_N (memory matrix)' },
    ],
  },
  {
    id: 'P1-12',
    title: 'sample complexity',
    statement: 'ε⋆² ≲ polylog(n) n⁻¹ t0^{−d/2} for minimax score estimators',
    source: 'P1 Eq. 12',
    tag: '[V]',
    assumptions: ['minimax score estimator', 'smooth density'],
    anchors: [],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p1-12-sample-complexity.test.ts', checks: ['exponent of n of ε⋆² for the smoothed-sample score of n samples'] }],
    supportFiles: [],
    oracle: 'smoothed-sample score of n samples of N(0, I_d), ε⋆² by unbiased Monte Carlo over independent sample sets',
    oracles: [
      { ref: 'src/scores/gaussian-mixture-score.ts#gaussianMixtureScore', role: 'exact score of the smoothed known law (the reference)' },
      { ref: 'src/estimators/smoothed-empirical-score.ts#smoothedEmpiricalScoreEnergyTerms', role: 'unbiased Monte Carlo terms of ε⋆² of the smoothed empirical score' },
    ],
  },
  {
    id: 'P1-E1',
    title: '10-D GMM experiment',
    statement: '10-D GMM (5 components, σ = 0.6), KDE score h = 0.6 on N = 100 000, 500 EM steps T = 4 → t0 = 0.02, 20 generations, α ∈ {0.1, 0.5, 0.9}: α = 0.1 keeps spreading, 0.5 widens but keeps structure, 0.9 stable',
    source: 'P1 §5',
    tag: '[V]/[S]',
    assumptions: ['component means and weights chosen and documented (not published)'],
    anchors: ['KDE bandwidth h = σ = 0.6: generation 1 sits exactly on the χ² finiteness boundary h² = σ² (D-3)'],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p1-e1-dispersion-ordering.test.ts', checks: ['dispersion ordering at generation 20'] }],
    supportFiles: [],
    oracle: 'population-level KDE recursion in the GMM world (exact), particles for the sampled version',
    oracles: [
      { ref: 'src/distributions/gaussian-mixture.ts#smoothMixture', role: 'population-level KDE training: each component convolved with N(0, h² I)' },
      { ref: 'src/processes/ornstein-uhlenbeck.ts#pushMixture', role: 'exact P_t of a mixture (perfect-score output)' },
    ],
  },
  {
    id: 'P1-E2',
    title: 'η̂ ordering on images',
    statement: 'η̂: aligned W x > random W x > time-only ≈ 0; post-transient η̂ ≈ 0.25–0.35. Read here as: for the perturbation type (random = the mean over random W; a single random W can exceed the aligned one), and “≈ 0” as η̂ < 0.05',
    source: 'P1 Fig 2, 9',
    tag: '[S]',
    assumptions: ['optdigits 8×8 stands in for CIFAR-10'],
    anchors: ['a zero-mean time oscillation on stationary N(0, I), s = 2.5: η ≈ 0.060 for one cycle, ≈ 0.0071 for three ("≈ 0" means small and falling like 1/c²)'],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p1-e2-eta-ordering.test.ts', checks: ['η̂ ordering at matched ε⋆²'] }],
    supportFiles: [],
    oracle: 'empirical GMM of optdigits with exact score; regression estimate of η',
    oracles: [
      { ref: 'src/distributions/gaussian-mixture.ts#empiricalMixture', role: 'the images smoothed by P_t as an n-component GMM (exact score)' },
      { ref: 'src/energies/observability.ts#eta', role: 'regression estimate of η' },
    ],
  },
  {
    id: 'P1-E3',
    title: 'α trend on images',
    statement: 'α = 0.9 stable, α = 0.1 drifts over 10 generations',
    source: 'P1 Fig 8, 10',
    tag: '[S]',
    assumptions: ['optdigits 8×8 stands in for Fashion-MNIST'],
    anchors: [],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p1-e3-alpha-drift.test.ts', checks: ['off-data fraction: α = 0.1 drifts, α = 0.9 stable'] }],
    supportFiles: [],
    oracle: 'fitted model on optdigits, recursion with exact scores',
    oracles: [{ ref: 'src/distributions/gaussian-mixture.ts#empiricalMixture', role: 'the images smoothed by P_t as an n-component GMM (exact score)' }],
  },
  {
    id: 'D-1',
    title: 'leading order χ² ≈ η ε⋆², KL ≈ ½ η ε⋆²',
    statement: 'χ²(p̂ ‖ ideal output) = η ε⋆² + O(ε⋆³) and KL = ½ η ε⋆² + O(ε⋆³) as e = λ e₀, λ → 0',
    source: 'derived',
    tag: '[I]',
    assumptions: ['smooth error family'],
    anchors: ['constant shift on stationary N(0, I): χ² and KL against η ε⋆² with η = 4(1 − e^{−s/2})²/s', 'consequence: P1’s constants ¼ (P1-3.3) and 4 (P1-3.4) are loose by up to 4× at leading order'],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/d-1-leading-order.test.ts', checks: ['constant shift, stationary N(0,I)', 'every family (four injected + random affine), exact η', 'consequence: the constants ½ (lower, ×η) and 2 (upper) hold at ε⋆² = 1e-6'] }],
    supportFiles: [],
    oracle: 'linear-Gaussian closed forms along scaling families',
    oracles: [
      { ref: 'src/oracles/linear-gaussian.ts#solveMomentOde', role: 'output law along the scaling family' },
      { ref: 'src/energies/observability.ts#etaConstantShiftStationary', role: 'closed-form η of the constant shift' },
      { ref: 'src/divergences/gaussian.ts#gaussianChiSquare', role: 'χ² between Gaussian outputs' },
      { ref: 'src/oracles/linear-gaussian-observability.ts#exactEta', role: 'exact η of every family (Wiener-chaos projection)' },
      { ref: 'src/oracles/linear-gaussian-deviation.ts#outputDeviation', role: 'output law along the scaling family as a deviation from the ideal output' },
    ],
  },
  {
    id: 'D-2',
    title: 'the reference matters',
    statement: 'with t0 > 0 fixed and error → 0, χ²(p̂^{i+1} ‖ q_i) → χ²(P_t0 q_i ‖ q_i) > 0 (P1-3.4 against q_i fails for small errors; against P_t0 q_i it holds); a N(0,I) start adds KL(N(0,I) ‖ P_T q_i)',
    source: 'derived',
    tag: '[I]',
    assumptions: [],
    anchors: ['zero error: χ²(p̂ ‖ q) = χ²(P_t0 q ‖ q) > 0 for t0 > 0 and non-stationary q'],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/d-2-reference-matters.test.ts', checks: ['χ²(p̂‖q) ≥ ½ χ²(P_t0 q‖q)', 'χ²(p̂‖P_t0 q) ≤ 4ε⋆² for the same small errors'] }],
    supportFiles: [],
    oracle: 'Gaussian closed forms',
    oracles: [
      { ref: 'src/processes/ornstein-uhlenbeck.ts#pushGaussian', role: 'P_t0 q in closed form' },
      { ref: 'src/divergences/gaussian.ts#gaussianChiSquare', role: 'χ²(P_t0 q ‖ q) and χ²(p̂ ‖ ·) between Gaussians' },
    ],
  },
  {
    id: 'D-3',
    title: 'χ² finiteness',
    statement: 'KDE smoothing by h² ≥ σ² of components with covariance σ² I makes χ²(model ‖ data) = +∞; estimators must report +∞',
    source: 'derived',
    tag: '[I]',
    assumptions: [],
    anchors: ['Gaussians: χ²(N(m1,S1) ‖ N(m2,S2)) < ∞ iff 2 S1⁻¹ − S2⁻¹ ≻ 0; with S1 = (σ² + h²) I, S2 = σ² I this fails exactly when h² ≥ σ²'],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/d-3-chi-square-infinite.test.ts', checks: ['h² ≥ σ² ⇒ χ² = +∞ (criterion and estimator)', 'h² < σ² ⇒ χ² < ∞ for Gaussian data (exact criterion)'] }],
    supportFiles: [],
    oracle: 'closed-form finiteness criterion 2 S1⁻¹ − S2⁻¹ ≻ 0',
    oracles: [{ ref: 'src/divergences/gaussian.ts#gaussianChiSquareFinite', role: 'closed-form finiteness criterion between Gaussians' }],
  },
  {
    id: 'P2-1',
    title: 'drift with perfect score',
    statement: 'with perfect score and exact sampling, p̂^{i+1} = P_t0(α p_data + (1−α) p̂^i) drifts away from p_data whenever t0 > 0',
    source: 'P2 abstract',
    tag: '[V]/[I]',
    assumptions: ['t0 > 0'],
    anchors: ['t0 = 0: p̂^i = p_data for every i (no drift)'],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p2-1-drift.test.ts', checks: ['drift of the exact GMM recursion (t0 > 0)', 'no drift at t0 = 0 (exact)', 'particle drift, every sampler × start law', 'truncation drift + KDE learning drift, separated (exact)'] }],
    supportFiles: [],
    oracle: 'GMM-world recursion (exact)',
    oracles: [{ ref: 'src/oracles/gmm-recursion.ts#iterateRecursion', role: 'exact perfect-score recursion of a 1-D GMM' }],
  },
  {
    id: 'P2-2',
    title: 'unique limit, geometric convergence',
    statement: 'p* = Σ_{k≥1} α (1−α)^{k−1} P_{k t0} p_data; p̂^i − p* = (1−α)^i P_{i t0}(p̂^0 − p*); TV(p̂^i, p*) ≤ (1−α)^i TV(p̂^0, p*)',
    source: 'P2 abstract',
    tag: '[V]/[I]',
    assumptions: [],
    anchors: ['Gaussian data N(m, s²), 1-D: the limit mean is α e^{−t0/2} m / (1 − (1−α) e^{−t0/2})', 'α = 0: p̂^i → N(0, I)'],
    expected: 'holds',
    evidence: [
      { file: 'properties/theorems/p2-2-limit.test.ts', checks: ['fixed point of the round map (1-D, quadrature)', 'TV rate (1−α)^i and uniqueness from two starts (1-D)', 'Gaussian-data limit mean'] },
      { file: 'properties/theorems/p2-2-limit-dd.test.ts', checks: ['TV rate (1−α)^i in 2-D (Monte Carlo, empirical Bernstein)'] },
    ],
    supportFiles: ['properties/theorems/p2-oracle.test.ts'],
    oracle: 'GMM-world recursion and truncated series for p*',
    oracles: [
      { ref: 'src/oracles/gmm-recursion.ts#limitLaw', role: 'p* as a truncated series with its tail bound' },
      { ref: 'src/oracles/gmm-recursion.ts#gaussianDataLimitMean', role: 'closed-form limit mean for Gaussian data' },
    ],
  },
  {
    id: 'P2-3',
    title: 'Hermite low-pass',
    statement: 'P_t maps c_n ↦ e^{−|n|t/2} c_n; limit c_n* = λ_n c_n, λ_n = α e^{−|n|t0/2} / (1 − (1−α) e^{−|n|t0/2}), strictly decreasing in |n|',
    source: 'P2 abstract',
    tag: '[V]/[I]',
    assumptions: [],
    anchors: ['λ_0 = 1', 'X ~ N(m, s²): E[He_n(X)] = Σ_k n!/(k!(n−2k)!) m^{n−2k} ((s²−1)/2)^k'],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p2-3-hermite-lowpass.test.ts', checks: ['limit spectrum c_n(p*) = λ_n c_n (1-D, n ≤ 30)', 'iterate spectrum (1-D, i ≤ 12)', 'per-mode contraction of one round (arbitrary q)', 'λ_n strictly decreasing, λ_0 = 1 (n < 60)', 'multi-index spectrum on 2-D product data'] }],
    supportFiles: [],
    oracle: 'closed-form Hermite moments of Gaussians/GMMs',
    oracles: [
      { ref: 'src/oracles/hermite.ts#mixtureHermiteCoefficients', role: 'closed-form Hermite coefficients of a GMM' },
      { ref: 'src/oracles/hermite.ts#limitAttenuation', role: 'λ_n' },
    ],
  },
  {
    id: 'P2-4',
    title: 'annealed truncation',
    statement: 't0^{(i)} → 0 makes p̂^i → p_data; constant t0 leaves bias 1 − λ_n in mode n',
    source: 'P2 abstract',
    tag: '[V], [S], [I]',
    assumptions: ['finite Fisher information'],
    anchors: [],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p2-4-annealing.test.ts', checks: ['annealed recovery', 'constant t0: bias of mode n', 'non-decaying schedule'] }],
    supportFiles: [],
    oracle: 'GMM-world recursion with schedules',
    oracles: [
      { ref: 'src/oracles/gmm-recursion.ts#iterateRecursion', role: 'exact recursion under a t0 schedule' },
      { ref: 'src/oracles/hermite.ts#limitAttenuation', role: 'λ_n (the constant-t0 bias 1 − λ_n)' },
    ],
  },
  {
    id: 'P2-5',
    title: 'W2 robustness',
    statement: 'one round is a W2 contraction with κ = e^{−t0/2} √(1−α); per-round W2 error δ gives limsup W2(p̃^i, p*) ≤ δ/(1−κ)',
    source: 'P2 abstract',
    tag: '[V]/[I]',
    assumptions: [],
    anchors: ['μ = p_data = N(0, s²), ν = N(L, s²): the one-round W2 ratio exceeds (1−α) e^{−t0/2}'],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p2-5-w2-robustness.test.ts', checks: ['one-round W2 contraction by κ', 'one-round W1 contraction by (1−α)e^{−t0/2}', 'sharpness of κ', 'W2 ball limsup ≤ δ/(1−κ)'] }],
    supportFiles: [],
    oracle: 'Gaussian W2 closed form',
    oracles: [
      { ref: 'src/divergences/gaussian.ts#gaussianW2', role: 'W2 between Gaussians, closed form' },
      { ref: 'src/divergences/gaussian-mixture-1d.ts#mixtureW2Distance1d', role: 'W2 between 1-D mixtures through quantile functions' },
    ],
  },
  {
    id: 'P2-E1',
    title: 'P2 validation',
    statement: 'validation on Gaussian mixtures and CIFAR-10 (setups not published); checked here: the finite-sample particle recursion approaches the closed-form limit p* on 1-D and 2-D GMMs (the CIFAR-10 part is not reproduced)',
    source: 'P2 abstract',
    tag: '[V]',
    assumptions: ['setups chosen and documented'],
    anchors: [],
    expected: 'holds',
    evidence: [{ file: 'properties/theorems/p2-e1-particle-limit.test.ts', checks: ['particle marginal at generation 20 within P2-2 bound of p*, away from p_data'] }],
    supportFiles: [],
    oracle: 'GMM world: the closed-form limit p* (P2-2); the particles come from exact sampling of each generation’s model output law',
    oracles: [{ ref: 'src/oracles/gmm-recursion.ts#limitLaw', role: 'exact limit law p* in the GMM world (the particles of src/experiments/kde-particle-recursion.ts are tested against it)' }],
  },
  {
    id: 'SELF',
    title: 'verdict engine self-tests',
    statement: 'the engine flags deliberately wrong bounds with replayable counterexamples, does not flag exact-zero margins, and its measured false-failure rate is consistent with δ',
    source: 'this suite (issue 5)',
    tag: '[I]',
    assumptions: [],
    anchors: [],
    expected: 'holds',
    evidence: [
      { file: 'properties/theorems/verdict-engine-self-test.test.ts', checks: ['wrong P1-F1 factor (1-α) detected, replays', 'exact-zero-margin cases not flagged'] },
      { file: 'properties/theorems/d-1-leading-order.test.ts', checks: ['wrong D-1 leading factor ½ detected'] },
      { file: 'properties/theorems/p1-3.3-lower-bound.test.ts', checks: ['wrong P1-3.3 lower constant 5/4 detected'] },
      { file: 'properties/theorems/p1-3.4-upper-bound.test.ts', checks: ['wrong P1-3.4 upper constant ½ detected'] },
      { file: 'properties/theorems/p1-4.2-discounted-decomposition.test.ts', checks: ['wrong P1-4.2 discount (1−α) instead of (1−α)² detected'] },
    ],
    supportFiles: ['properties/exact/verdict-engine.test.ts'],
    oracle: 'closed forms with known truth',
    oracles: [{ ref: 'properties/theorems/cases/p1-f1.ts#refreshClosedForm', role: 'known truth for the deliberately wrong P1-F1 constant' }],
  },
];
