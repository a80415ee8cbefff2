/**
 * Forward diffusion processes as values (issue 15): one interface for the linear forward SDEs that
 * diffusion libraries use,
 *
 *     dX = f(t) X dt + g(t) dW,        X_t | X_0 ~ N(a(t) X_0, σ²(t) I),
 *
 * with mean factor a(t) and noise variance σ²(t) in closed form, f = d log a / dt and
 * g² = dσ²/dt − 2 f σ² (so that the family t ↦ q ∗ [a(t)·, σ²(t)] solves the forward SDE on every
 * window [t0, T] inside the domain). Reverse SDE and probability-flow ODE in τ = T − t (τ grows as
 * t falls), with the score s = ∇log p_t:
 *
 *     reverse SDE:   dY = [−f(t) Y + g²(t) s(Y, t)] dτ + g(t) dW̄,
 *     PF-ODE:        dY/dτ = −f(t) Y + ½ g²(t) s(Y, t).
 *
 * Families (time argument t unless stated; sources are the files whose conventions are matched):
 * - `vp-constant` (β): the project's default OU process dX = −½βX dt + √β dW (β = 1 default):
 *   a = e^{−βt/2}, σ² = 1 − e^{−βt}, f = −β/2, g² = β; domain t ≥ 0.
 * - `vp-linear` (β_min, β_max): score-SDE's VPSDE (yang-song/score_sde, sde_lib.py `VPSDE`,
 *   defaults β_min = 0.1, β_max = 20), β(t) = β_min + (β_max − β_min) t on t ∈ [0, 1],
 *   B(t) = ∫₀ᵗβ = β_min t + ½(β_max − β_min) t² (their `log_mean_coeff` = −B/2):
 *   a = e^{−B/2}, σ² = 1 − e^{−B}, f = −β(t)/2, g² = β(t).
 * - `vp-cosine` (s = 0.008): Nichol & Dhariwal's cosine schedule in continuous time (the
 *   `alpha_bar_fn` of diffusers' `betas_for_alpha_bar`, schedulers/scheduling_ddpm.py, before
 *   discretisation and the 0.999 clip): ᾱ(t) = cos²(θ(t)) / cos²(θ(0)), θ(t) = ((t + s)/(1 + s))·π/2,
 *   a = √ᾱ, σ² = 1 − ᾱ, β(t) = −d log ᾱ/dt = π tan θ(t)/(1 + s), f = −β/2, g² = β;
 *   domain t ∈ [0, 1) (ᾱ → 0 at t = 1).
 * - `ve` (σ_min, σ_max): score-SDE's VESDE (sde_lib.py `VESDE`, defaults σ_min = 0.01,
 *   σ_max = 50): σ(t) = σ_min (σ_max/σ_min)^t on t ∈ [0, 1], a = 1, σ²(t) = σ(t)² (their
 *   `marginal_prob` std = σ(t): the family q ∗ N(0, σ(t)²), q the clean data at σ = 0),
 *   f = 0, g² = dσ²/dt = 2 σ(t)² log(σ_max/σ_min) (their `sde` diffusion σ(t)·√(2 log(σ_max/σ_min))).
 * - `edm`: the σ-parametrisation of Karras et al. 2022 (crowsonkb/k-diffusion, sampling.py
 *   `to_d`, `sample_euler`): x_σ = x_0 + σ n, TIME ARGUMENT σ > 0: a = 1, σ²(σ) = σ², f = 0,
 *   g² = dσ²/dσ = 2σ. PF-ODE dx/dσ = −σ s(x, σ) = (x − D(x, σ))/σ (k-diffusion's `to_d`).
 *
 * Every family is a scaled time change of the unit OU process (docs/theory.md §1): with
 * s(t) = √(a² + σ²) and u(t) = log(1 + σ²/a²) (the "OU time"), X_t / s(t) has the law of the OU
 * process at time u(t) (both are a·X_0 + σ·Z rescaled to unit total variance with the same
 * signal-to-noise ratio a²/σ² = 1/(e^u − 1)). Used by src/processes/process-marginals.ts.
 *
 * Throws (`processFromDescription`, the constructors): unknown name, non-finite or non-positive
 * parameters, β_max < β_min, σ_max ≤ σ_min, s ≤ 0; (`checkProcessTime`): a time outside the domain.
 */

export type ProcessName = 'vp-constant' | 'vp-linear' | 'vp-cosine' | 've' | 'edm';
export const PROCESS_NAMES: readonly ProcessName[] = ['vp-constant', 'vp-linear', 'vp-cosine', 've', 'edm'];

/** A process as a JSON object: its name and numeric parameters (the audit protocol's `process`). */
export interface ProcessParameters {
  readonly name: string;
  readonly [parameter: string]: number | string;
}

export interface DiffusionProcess {
  readonly name: ProcessName;
  /** parameters as carried by the audit protocol's `process` object (name included) */
  readonly parameters: ProcessParameters;
  /** what the time argument is: process time t, or σ itself (`edm`) */
  readonly timeArgument: 't' | 'sigma';
  /** inclusive lower end of the time domain */
  readonly tMin: number;
  /** upper end of the time domain (`tMaxInclusive` says whether it belongs to it) */
  readonly tMax: number;
  readonly tMaxInclusive: boolean;
  /** a(t)² + σ²(t) = 1 for every t (VP families): the OU reduction needs no rescaling */
  readonly preservesVariance: boolean;
  /** a(t) */
  meanFactor(t: number): number;
  /** σ²(t) */
  noiseVariance(t: number): number;
  /** f(t) of dX = f X dt + g dW */
  drift(t: number): number;
  /** g²(t) */
  diffusionSquared(t: number): number;
  /** u(t) = log(1 + σ²/a²): the OU time with the same signal-to-noise ratio */
  ouTime(t: number): number;
  /** the process time t with ouTime(t) = u (inverse of ouTime; throws outside the domain) */
  timeOfOuTime(u: number): number;
}

function positive(v: number, what: string): number {
  if (!(Number.isFinite(v) && v > 0)) throw new Error(`diffusion process: ${what} must be a finite number > 0, got ${v}`);
  return v;
}

/** Throws unless t is in the process's time domain. */
export function checkProcessTime(p: DiffusionProcess, t: number, where = 'time'): void {
  const ok = Number.isFinite(t) && t >= p.tMin && (p.tMaxInclusive ? t <= p.tMax : t < p.tMax);
  if (!ok) throw new Error(`${p.name}: ${where} ${t} outside the domain ${p.tMin === 0 && p.timeArgument === 'sigma' ? '(0' : `[${p.tMin}`}, ${p.tMax}${p.tMaxInclusive ? ']' : ')'}`);
}

/** Constant-β VP-OU, the default (β = 1: dX = −½X dt + dW, src/processes/ornstein-uhlenbeck.ts). */
export function vpConstant(beta = 1): DiffusionProcess {
  positive(beta, 'β');
  return {
    name: 'vp-constant',
    preservesVariance: true,
    parameters: { name: 'vp-constant', beta },
    timeArgument: 't',
    tMin: 0,
    tMax: Infinity,
    tMaxInclusive: false,
    meanFactor: (t) => Math.exp(-0.5 * beta * t),
    noiseVariance: (t) => -Math.expm1(-beta * t),
    drift: () => -0.5 * beta,
    diffusionSquared: () => beta,
    ouTime: (t) => beta * t,
    timeOfOuTime: (u) => u / beta,
  };
}

/** score-SDE VPSDE with linear β(t) = β_min + (β_max − β_min) t on [0, 1] (defaults 0.1, 20). */
export function vpLinear(betaMin = 0.1, betaMax = 20): DiffusionProcess {
  positive(betaMin, 'β_min');
  positive(betaMax, 'β_max');
  if (betaMax < betaMin) throw new Error(`vp-linear: β_max ${betaMax} < β_min ${betaMin}`);
  const slope = betaMax - betaMin;
  const B = (t: number) => betaMin * t + 0.5 * slope * t * t;
  return {
    name: 'vp-linear',
    preservesVariance: true,
    parameters: { name: 'vp-linear', betaMin, betaMax },
    timeArgument: 't',
    tMin: 0,
    tMax: 1,
    tMaxInclusive: true,
    meanFactor: (t) => Math.exp(-0.5 * B(t)),
    noiseVariance: (t) => -Math.expm1(-B(t)),
    drift: (t) => -0.5 * (betaMin + slope * t),
    diffusionSquared: (t) => betaMin + slope * t,
    ouTime: B,
    // B(t) = u  ⇔  t = 2u / (β_min + √(β_min² + 2 (β_max − β_min) u))  (no cancellation)
    timeOfOuTime: (u) => (2 * u) / (betaMin + Math.sqrt(betaMin * betaMin + 2 * slope * u)),
  };
}

/** Cosine VP schedule (Nichol & Dhariwal, s = 0.008) in continuous time on [0, 1). */
export function vpCosine(s = 0.008): DiffusionProcess {
  positive(s, 's');
  const k = Math.PI / (2 * (1 + s));
  const theta = (t: number) => (t + s) * k;
  const logCos0 = Math.log(Math.cos(theta(0)));
  // u = −log ᾱ = 2(log cos θ(0) − log cos θ(t))
  const u = (t: number) => 2 * (logCos0 - Math.log(Math.cos(theta(t))));
  const beta = (t: number) => 2 * k * Math.tan(theta(t));
  return {
    name: 'vp-cosine',
    preservesVariance: true,
    parameters: { name: 'vp-cosine', s },
    timeArgument: 't',
    tMin: 0,
    tMax: 1,
    tMaxInclusive: false,
    meanFactor: (t) => Math.exp(-0.5 * u(t)),
    noiseVariance: (t) => -Math.expm1(-u(t)),
    drift: (t) => -0.5 * beta(t),
    diffusionSquared: beta,
    ouTime: u,
    // cos θ(t) = cos θ(0)·e^{−u/2}
    timeOfOuTime: (v) => Math.acos(Math.cos(theta(0)) * Math.exp(-0.5 * v)) / k - s,
  };
}

/** score-SDE VESDE: σ(t) = σ_min (σ_max/σ_min)^t on [0, 1] (defaults 0.01, 50). */
export function ve(sigmaMin = 0.01, sigmaMax = 50): DiffusionProcess {
  positive(sigmaMin, 'σ_min');
  positive(sigmaMax, 'σ_max');
  if (!(sigmaMax > sigmaMin)) throw new Error(`ve: σ_max ${sigmaMax} must exceed σ_min ${sigmaMin}`);
  const L = Math.log(sigmaMax / sigmaMin);
  const sigma2 = (t: number) => sigmaMin * sigmaMin * Math.exp(2 * L * t);
  return {
    name: 've',
    preservesVariance: false,
    parameters: { name: 've', sigmaMin, sigmaMax },
    timeArgument: 't',
    tMin: 0,
    tMax: 1,
    tMaxInclusive: true,
    meanFactor: () => 1,
    noiseVariance: sigma2,
    drift: () => 0,
    diffusionSquared: (t) => 2 * L * sigma2(t),
    ouTime: (t) => Math.log1p(sigma2(t)),
    // σ(t)² = e^u − 1  ⇔  t = log(√(e^u − 1)/σ_min)/L
    timeOfOuTime: (u) => (0.5 * Math.log(Math.expm1(u)) - Math.log(sigmaMin)) / L,
  };
}

/** EDM σ-parametrisation: time argument σ > 0, x_σ = x_0 + σ n. */
export function edm(): DiffusionProcess {
  return {
    name: 'edm',
    preservesVariance: false,
    parameters: { name: 'edm' },
    timeArgument: 'sigma',
    tMin: 0,
    tMax: Infinity,
    tMaxInclusive: false,
    meanFactor: () => 1,
    noiseVariance: (sigma) => sigma * sigma,
    drift: () => 0,
    diffusionSquared: (sigma) => 2 * sigma,
    ouTime: (sigma) => Math.log1p(sigma * sigma),
    timeOfOuTime: (u) => Math.sqrt(Math.expm1(u)),
  };
}

/** The default process of the audit: constant-β VP-OU with β = 1. */
export const DEFAULT_PROCESS: DiffusionProcess = vpConstant(1);

function numberParam(desc: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const v = desc[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number') throw new Error(`diffusion process ${String(desc.name)}: parameter ${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Builds a process from its protocol description `{ name, ...parameters }` (the shape of
 * `ProcessDescription` in src/audit/protocol.ts): `vp-constant` {beta}, `vp-linear` {betaMin,
 * betaMax}, `vp-cosine` {s}, `ve` {sigmaMin, sigmaMax}, `edm` {}. Missing parameters take the
 * library defaults. Throws on an unknown name, an unknown parameter or an invalid value.
 */
export function processFromDescription(desc: Readonly<Record<string, unknown>>): DiffusionProcess {
  const allowed: Record<ProcessName, readonly string[]> = {
    'vp-constant': ['beta'],
    'vp-linear': ['betaMin', 'betaMax'],
    'vp-cosine': ['s'],
    ve: ['sigmaMin', 'sigmaMax'],
    edm: [],
  };
  const name = desc.name;
  if (typeof name !== 'string' || !(PROCESS_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown diffusion process ${JSON.stringify(name)} (known: ${PROCESS_NAMES.join(', ')})`);
  }
  const pn = name as ProcessName;
  for (const key of Object.keys(desc)) {
    if (key !== 'name' && !allowed[pn].includes(key)) throw new Error(`diffusion process ${pn}: unknown parameter ${key} (allowed: ${allowed[pn].join(', ') || 'none'})`);
  }
  switch (pn) {
    case 'vp-constant':
      return vpConstant(numberParam(desc, 'beta', 1));
    case 'vp-linear':
      return vpLinear(numberParam(desc, 'betaMin', 0.1), numberParam(desc, 'betaMax', 20));
    case 'vp-cosine':
      return vpCosine(numberParam(desc, 's', 0.008));
    case 've':
      return ve(numberParam(desc, 'sigmaMin', 0.01), numberParam(desc, 'sigmaMax', 50));
    case 'edm':
      return edm();
  }
}
