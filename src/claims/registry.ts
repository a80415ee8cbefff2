/**
 * Registry of every claim id of /work/shared/THEORY.md (P1-…, D-…, P2-…) plus `SELF` (the verdict
 * engine's self-tests). Each record: statement, source tag, assumptions, expected status, the
 * property files known to check it, and the oracle. Claims without a ledger entry are reported as
 * `not-yet-checked`, never as passing.
 *
 * `propertyFiles` lists files known when this registry was written; `collapse-check verify` also
 * discovers any `properties/**\/*.test.ts` that mentions the quoted claim id (`'P1-3.3'`), so new
 * property files need no registry edit to be run.
 */

export type SourceTag = '[V]' | '[S]' | '[I]' | '[V]/[I]' | '[V]/[S]' | '[V], [S], [I]';

export interface ClaimRecord {
  readonly id: string;
  readonly title: string;
  readonly statement: string;
  /** where it comes from (paper section) and its tag */
  readonly source: string;
  readonly tag: SourceTag;
  readonly assumptions: readonly string[];
  /** status the suite expects for the claim as registered */
  readonly expected: 'holds' | 'fails-as-stated';
  readonly propertyFiles: readonly string[];
  readonly oracle: string;
  /**
   * true while the claim's checks are being written: a run without any entry for it reports
   * `not-yet-checked` without failing. A pending claim that has entries is judged like any other.
   */
  readonly pending?: boolean;
}

export const CLAIMS: readonly ClaimRecord[] = [
  {
    id: 'P1-F1',
    title: 'refresh identity',
    statement: 'χ²(α p + (1−α) r ‖ p) = (1−α)² χ²(r ‖ p) for any laws; KL only has the convexity inequality KL(αp+(1−α)r ‖ p) ≤ (1−α) KL(r‖p)',
    source: 'P1 Lemma F.1',
    tag: '[V]',
    assumptions: ['r ≪ p (else both sides +∞)'],
    expected: 'holds',
    propertyFiles: ['properties/theorems/p1-f1-refresh-identity.test.ts'],
    oracle: 'Gaussian closed forms for χ²(r‖p), ∫r²/p and the cross term; Monte Carlo under p for the mixture χ² and KL',
  },
  {
    id: 'P1-3.1',
    title: 'Girsanov KL bound',
    statement: 'KL(p̂^{i+1} ‖ q_i) ≤ ½ ε̂_i², read (D-2) as KL(learned output ‖ ideal output of the same start)',
    source: 'P1 Prop 3.1',
    tag: '[V]',
    assumptions: ['A1 finite energy', 'A2 Novikov', 'equal start laws for learned and ideal paths (else add KL of the starts, chain rule)'],
    expected: 'holds',
    propertyFiles: ['properties/theorems/p1-3.1-girsanov-kl.test.ts'],
    oracle: 'linear-Gaussian world: output moments by the reverse-time moment ODE, KL closed form, ε̂² by quadrature; GMM-model world: exact marginals P_t q̃, P_t q, KL and ε̂² by Monte Carlo under P_t q̃',
  },
  {
    id: 'P1-3.2',
    title: 'observability: Var M = ε⋆², η ∈ [0,1]',
    statement: 'M = −∫ e(Y_t,t)·dB̄_t along the ideal path has Var M = ε⋆² (Itô isometry) and η = Var E[M|Y_t0] / ε⋆² ∈ [0,1]',
    source: 'P1 Def 3.2',
    tag: '[V]',
    assumptions: ['ε⋆² < ∞'],
    expected: 'holds',
    propertyFiles: ['properties/theorems/p1-3.2-observability.test.ts', 'properties/statistical/energies.test.ts'],
    oracle: 'constant-shift exact example η = 4(1−e^{−s/2})²/s; linear-Gaussian regression on (1, y, yyᵀ) with cross-fitting',
  },
  {
    id: 'P1-3.3',
    pending: true,
    title: 'χ² lower bound',
    statement: 'for ε⋆² ≤ 1: χ²(p̂^{i+1} ‖ q_i) ≥ ¼ η ε⋆² − C ε⋆⁴; clean form ≥ ⅛ η ε⋆² once ε⋆² ≤ min(1, η/(8C))',
    source: 'P1 Prop 3.3',
    tag: '[V]',
    assumptions: ['reference = ideal output P_t0 q_i (D-2)'],
    expected: 'holds',
    propertyFiles: [],
    oracle: 'linear-Gaussian world closed forms (χ², ε⋆², η)',
  },
  {
    id: 'P1-3.4',
    pending: true,
    title: 'χ² upper bound, I_i ≍ ε⋆²',
    statement: 'χ²(p̂^{i+1} ‖ q_i) ≤ 4 ε⋆² + c ε⋆⁴; with P1-3.3, I_i ≍ ε⋆,i² when η is bounded below',
    source: 'P1 Thm 3.4 (v1: 3.5)',
    tag: '[V]',
    assumptions: ['reference = ideal output P_t0 q_i (D-2); against q_i itself it fails for small errors at fixed t0'],
    expected: 'holds',
    propertyFiles: [],
    oracle: 'linear-Gaussian world closed forms',
  },
  {
    id: 'P1-4.0',
    title: 'innovation inequality',
    statement: 'D_{i+1} + (1−α)² D_i ≥ (α/2) I_i (uses only q_i ≥ α p_data)',
    source: 'P1 (reconstructed)',
    tag: '[V]/[I]',
    assumptions: ['q_i = α p_data + (1−α) p̂^i'],
    expected: 'holds',
    propertyFiles: ['properties/theorems/p1-4.0-innovation.test.ts'],
    oracle: 'Gaussian / GMM recursion with closed-form χ²',
  },
  {
    id: 'P1-4.1i',
    pending: true,
    title: 'divergent energy ⇒ divergent accumulated χ²',
    statement: 'Σ ε⋆,i² = ∞ ⇒ Σ D_i = ∞ (not D_i ↛ 0: ε⋆,i² = 1/(i+1), D_i = c/(i+1) is compatible)',
    source: 'P1 Prop 4.1(i)',
    tag: '[V]',
    assumptions: ['η_i bounded below'],
    expected: 'holds',
    propertyFiles: [],
    oracle: 'linear-Gaussian recursion, closed-form D_i',
  },
  {
    id: 'P1-4.1ii',
    pending: true,
    title: 'collapse floor',
    statement: 'if ε⋆,i² ≥ ε_floor eventually and η_i ≥ η_floor: limsup D_i ≥ α η_floor ε_floor / (16 (1 + (1−α)²))',
    source: 'P1 Prop 4.1(ii)',
    tag: '[V]',
    assumptions: [],
    expected: 'holds',
    propertyFiles: [],
    oracle: 'linear-Gaussian recursion, closed-form D_i',
  },
  {
    id: 'P1-4.2',
    title: 'discounted decomposition (multiplicative form)',
    statement: 'D_{N+1} + C_bias ≍ Σ_{i=i0}^{N} (1−α)^{2(N−i)} ε⋆,i² + (1−α)^{2(N+1−i0)} D_{i0}: cannot hold when Σ ε⋆,i² < ∞; additive versions and exact geometric decay D_{j+1} = (1−α)² D_j after the last error do',
    source: 'P1 Thm 4.2',
    tag: '[V]',
    assumptions: ['C_bias > 0'],
    expected: 'fails-as-stated',
    propertyFiles: ['properties/theorems/p1-4.2-discounted-decomposition.test.ts'],
    oracle: 'explicit error family with Σ ε⋆² < ∞ in the Gaussian recursion; exact-sampling recursion with t0-smoothing off',
  },
  {
    id: 'P1-12',
    pending: true,
    title: 'sample complexity',
    statement: 'ε⋆² ≲ polylog(n) n⁻¹ t0^{−d/2} for minimax score estimators',
    source: 'P1 Eq. 12',
    tag: '[V]',
    assumptions: ['minimax score estimator', 'smooth density'],
    expected: 'holds',
    propertyFiles: [],
    oracle: 'KDE score of n samples of a known GMM, ε⋆² by Monte Carlo',
  },
  {
    id: 'P1-E1',
    pending: true,
    title: '10-D GMM experiment',
    statement: '10-D GMM (5 components, σ = 0.6), KDE score h = 0.6 on N = 100 000, 500 EM steps T = 4 → t0 = 0.02, 20 generations, α ∈ {0.1, 0.5, 0.9}: α = 0.1 keeps spreading, 0.5 widens but keeps structure, 0.9 stable',
    source: 'P1 §5',
    tag: '[V]/[S]',
    assumptions: ['component means and weights chosen and documented (not published)'],
    expected: 'holds',
    propertyFiles: [],
    oracle: 'population-level KDE recursion in the GMM world (exact), particles for the sampled version',
  },
  {
    id: 'P1-E2',
    pending: true,
    title: 'η̂ ordering on images',
    statement: 'η̂: aligned W x > random W x > time-only ≈ 0; post-transient η̂ ≈ 0.25–0.35',
    source: 'P1 Fig 2, 9',
    tag: '[S]',
    assumptions: ['optdigits 8×8 stands in for CIFAR-10'],
    expected: 'holds',
    propertyFiles: [],
    oracle: 'empirical GMM of optdigits with exact score; regression estimate of η',
  },
  {
    id: 'P1-E3',
    pending: true,
    title: 'α trend on images',
    statement: 'α = 0.9 stable, α = 0.1 drifts over 10 generations',
    source: 'P1 Fig 8, 10',
    tag: '[S]',
    assumptions: ['optdigits 8×8 stands in for Fashion-MNIST'],
    expected: 'holds',
    propertyFiles: [],
    oracle: 'fitted model on optdigits, recursion with exact scores',
  },
  {
    id: 'D-1',
    title: 'leading order χ² ≈ η ε⋆², KL ≈ ½ η ε⋆²',
    statement: 'χ²(p̂ ‖ ideal output) = η ε⋆² + O(ε⋆³) and KL = ½ η ε⋆² + O(ε⋆³) as e = λ e₀, λ → 0',
    source: 'derived',
    tag: '[I]',
    assumptions: ['smooth error family'],
    expected: 'holds',
    propertyFiles: ['properties/theorems/d-1-leading-order.test.ts'],
    oracle: 'linear-Gaussian closed forms along scaling families',
  },
  {
    id: 'D-2',
    title: 'the reference matters',
    statement: 'with t0 > 0 fixed and error → 0, χ²(p̂^{i+1} ‖ q_i) → χ²(P_t0 q_i ‖ q_i) > 0 (P1-3.4 against q_i fails for small errors; against P_t0 q_i it holds); a N(0,I) start adds KL(N(0,I) ‖ P_T q_i)',
    source: 'derived',
    tag: '[I]',
    assumptions: [],
    expected: 'holds',
    propertyFiles: ['properties/theorems/d-2-reference-matters.test.ts'],
    oracle: 'Gaussian closed forms',
  },
  {
    id: 'D-3',
    title: 'χ² finiteness',
    statement: 'KDE smoothing by h² ≥ σ² of components with covariance σ² I makes χ²(model ‖ data) = +∞; estimators must report +∞',
    source: 'derived',
    tag: '[I]',
    assumptions: [],
    expected: 'holds',
    propertyFiles: ['properties/theorems/d-3-chi-square-infinite.test.ts'],
    oracle: 'closed-form finiteness criterion 2 S1⁻¹ − S2⁻¹ ≻ 0',
  },
  {
    id: 'P2-1',
    title: 'drift with perfect score',
    statement: 'with perfect score and exact sampling, p̂^{i+1} = P_t0(α p_data + (1−α) p̂^i) drifts away from p_data whenever t0 > 0',
    source: 'P2 abstract',
    tag: '[V]/[I]',
    assumptions: ['t0 > 0'],
    expected: 'holds',
    propertyFiles: ['properties/theorems/p2-1-drift.test.ts'],
    oracle: 'GMM-world recursion (exact)',
  },
  {
    id: 'P2-2',
    title: 'unique limit, geometric convergence',
    statement: 'p* = Σ_{k≥1} α (1−α)^{k−1} P_{k t0} p_data; p̂^i − p* = (1−α)^i P_{i t0}(p̂^0 − p*); TV(p̂^i, p*) ≤ (1−α)^i TV(p̂^0, p*)',
    source: 'P2 abstract',
    tag: '[V]/[I]',
    assumptions: [],
    expected: 'holds',
    propertyFiles: ['properties/theorems/p2-2-limit.test.ts', 'properties/theorems/p2-2-limit-dd.test.ts', 'properties/theorems/p2-oracle.test.ts'],
    oracle: 'GMM-world recursion and truncated series for p*',
  },
  {
    id: 'P2-3',
    title: 'Hermite low-pass',
    statement: 'P_t maps c_n ↦ e^{−|n|t/2} c_n; limit c_n* = λ_n c_n, λ_n = α e^{−|n|t0/2} / (1 − (1−α) e^{−|n|t0/2}), strictly decreasing in |n|',
    source: 'P2 abstract',
    tag: '[V]/[I]',
    assumptions: [],
    expected: 'holds',
    propertyFiles: ['properties/theorems/p2-3-hermite-lowpass.test.ts'],
    oracle: 'closed-form Hermite moments of Gaussians/GMMs',
  },
  {
    id: 'P2-4',
    title: 'annealed truncation',
    statement: 't0^{(i)} → 0 makes p̂^i → p_data; constant t0 leaves bias 1 − λ_n in mode n',
    source: 'P2 abstract',
    tag: '[V], [S], [I]',
    assumptions: ['finite Fisher information'],
    expected: 'holds',
    propertyFiles: ['properties/theorems/p2-4-annealing.test.ts'],
    oracle: 'GMM-world recursion with schedules',
  },
  {
    id: 'P2-5',
    title: 'W2 robustness',
    statement: 'one round is a W2 contraction with κ = e^{−t0/2} √(1−α); per-round W2 error δ gives limsup W2(p̃^i, p*) ≤ δ/(1−κ)',
    source: 'P2 abstract',
    tag: '[V]/[I]',
    assumptions: [],
    expected: 'holds',
    propertyFiles: ['properties/theorems/p2-5-w2-robustness.test.ts'],
    oracle: 'Gaussian W2 closed form',
  },
  {
    id: 'P2-E1',
    pending: true,
    title: 'P2 validation',
    statement: 'validation on Gaussian mixtures and CIFAR-10 (setups not published)',
    source: 'P2 abstract',
    tag: '[V]',
    assumptions: ['setups chosen and documented'],
    expected: 'holds',
    propertyFiles: [],
    oracle: 'GMM world; optdigits stand-in',
  },
  {
    id: 'SELF',
    title: 'verdict engine self-tests',
    statement: 'the engine flags deliberately wrong bounds with replayable counterexamples, does not flag exact-zero margins, and its measured false-failure rate is consistent with δ',
    source: 'this suite (issue 5)',
    tag: '[I]',
    assumptions: [],
    expected: 'holds',
    propertyFiles: ['properties/theorems/verdict-engine-self-test.test.ts'],
    oracle: 'closed forms with known truth',
  },
];

const BY_ID = new Map(CLAIMS.map((c, i) => [c.id, { c, i }]));

export function isClaimId(id: string): boolean {
  return BY_ID.has(id);
}

/** Throws on an unknown id. */
export function claim(id: string): ClaimRecord {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`unknown claim id "${id}"`);
  return r.c;
}

/** Position in the registry (ledger and report order). */
export function claimOrder(id: string): number {
  return BY_ID.get(id)?.i ?? Number.MAX_SAFE_INTEGER;
}

/** THEORY.md claim ids (without SELF). */
export function theoryClaimIds(): string[] {
  return CLAIMS.filter((c) => c.id !== 'SELF').map((c) => c.id);
}

/**
 * Claim ids matching ID or GLOB patterns (`*` any run of characters, `?` one; case-insensitive).
 * Throws a message naming the pattern when a pattern matches nothing.
 */
export function selectClaims(patterns: readonly string[]): string[] {
  if (patterns.length === 0) return CLAIMS.map((c) => c.id);
  const out = new Set<string>();
  for (const p of patterns) {
    const re = new RegExp('^' + p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
    const hits = CLAIMS.filter((c) => re.test(c.id));
    if (hits.length === 0) throw new Error(`--claim ${p}: matches no claim id (known: ${CLAIMS.map((c) => c.id).join(', ')})`);
    for (const h of hits) out.add(h.id);
  }
  return CLAIMS.map((c) => c.id).filter((id) => out.has(id));
}
