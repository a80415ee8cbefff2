/**
 * Forward processes, served conventions and power on demand of the sampler audit (issue 15).
 *
 * 1. EXACT, the processes (src/processes/diffusion-process.ts, process-fields.ts): mean factor and
 *    noise variance against the libraries' own formulas written here (score_sde sde_lib.py VPSDE
 *    `log_mean_coeff`, VESDE σ(t), the cosine ᾱ of Nichol & Dhariwal, EDM σ); f = (log a)' and
 *    g² = (σ²)' − 2fσ² against 5-point finite differences; the OU-time inverse. The OU reduction
 *    behind every exact law: the perturbed-score and gauss-2d problems' exact laws under each
 *    process and kind against the moment ODE integrated DIRECTLY in the process's own time with
 *    the fixture's f, g (fixtures/samplers/process-lib.mjs, written from the libraries, not from
 *    src) and the served field in closed form (RK4 here, step doubling). The served fields (score,
 *    eps, denoiser) against closed forms. exactFeatureSds against Gaussian closed forms and 1-D
 *    quadrature.
 * 2. EXACT, power on demand (checks.ts particlesForEffect, the moments and extrapolation checks):
 *    the Euler–Maruyama fixture is a Gaussian AR chain on gauss-1d, so its output law at K, 2K, 4K
 *    is known exactly (m ← M m + v, P ← M²P + Q per step, computed here from the fixture's
 *    coefficients). With n = particlesForEffect(gauss-1d, 0.05, δ of a default CLI audit):
 *    - correct chain: the allowance assumptions hold exactly (|b_{4K}| ≤ c|b_{2K} − b_{4K}| +
 *      floor, and the Richardson remainder |r_{4K}| ≤ c'|r_{2K} − r_{4K}| + floor) — the premise of
 *      the no-false-failure bound;
 *    - β × 1.2 and the T-instead-of-(T − t0) grid: the moments or the extrapolation check fails
 *      with probability ≥ 0.99 (expected statistics beyond threshold + z_{0.995}·se on each side,
 *      union bound 0.01; se from the exact chain law; the check's own se estimates differ from
 *      these by O(n^{−1/2}) relative, < 0.1 % here).
 * 3. MONTE CARLO (default tier, ≤ 7 audits at δ = ASSERTION_DELTA each): the correct EM fixture
 *    passes under every process with a rotation of the served conventions (problems gmm-1d and
 *    perturbed-score), the PF-ODE Heun fixture passes as `ode`; a sampler that takes the served ε or
 *    denoiser for the score fails (gmm-1d). Deep tier: every process ×
 *    convention on the full problem set, and the real --min-effect 0.05 audits (both mis-mappings
 *    fail, the correct sampler passes) on gauss-1d.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { auditProblems, exactMoments, servedScore, startLaw, type AuditProblem, type SamplerKind } from '../../src/audit/problems.ts';
import { biasAllowanceFactor, extrapolationAllowanceFactor, MOMENT_BIAS_FLOOR, particlesForEffect, POWER_MISS, checksPerProblem } from '../../src/audit/checks.ts';
import { exactFeatureSds } from '../../src/audit/statistics.ts';
import { DEFAULT_AUDIT_DELTA, runAudit, type AuditResult } from '../../src/audit/run.ts';
import { loadInProcessSampler } from '../../src/audit/driver-in-process.ts';
import { edm, processFromDescription, PROCESS_NAMES, ve, vpConstant, vpCosine, vpLinear, type DiffusionProcess } from '../../src/processes/diffusion-process.ts';
import { SERVED_CONVENTIONS, type ServedConvention } from '../../src/processes/process-fields.ts';
import { mixtureCovariance, mixtureMean } from '../../src/distributions/gaussian-mixture.ts';
import { zOneSided, zTwoSided } from '../../src/statistics/normal.ts';
import { ASSERTION_DELTA } from '../../src/statistics/budget.ts';
import { chargePipeline } from '../support/pipeline-spend.ts';
import { describeDeep } from '../support/tier.ts';

const FILE = 'audit-processes.test.ts';
const ROOT = resolve(import.meta.dirname, '..', '..');
const FIXTURE = (name: string) => resolve(ROOT, 'fixtures/samplers', name);
const ONCE = { numRuns: 1, endOnFailure: true } as const;
/** Per-request limit for the worker-driven audits (generous for a loaded 2-core machine). */
const TIMEOUT_SECONDS = 600;
/** Deep tier: a full default-set audit takes ≈ 3–10 s here (up to 60 s under load): 10 minutes. */
const DEEP_AUDIT_TIMEOUT_MS = 600_000;
/** Deep tier: one --min-effect 0.05 audit of gauss-1d (≈ 3 M particles per request) took 54–300 s under load: 30 minutes. */
const MIN_EFFECT_TIMEOUT_MS = 1_800_000;

interface Coefficients {
  f(t: number): number;
  g2(t: number): number;
  a(t: number): number;
  s2(t: number): number;
}
const lib = (await import(pathToFileURL(FIXTURE('process-lib.mjs')).href)) as { coefficients(desc: unknown): Coefficients };

/**
 * Closed forms of the processes: each side is a handful of elementary operations (≤ ~10 roundings
 * of ≤ 1 ulp) except 1 − e^{−B} (score_sde's 1 − exp(2·lmc)), whose relative error is ≤ u/B ≤
 * 1.1e-16/0.005 ≈ 2.2e-14 for the smallest B on the grid; 1e-12 relative + 1e-15 absolute covers both.
 */
const CLOSED_FORM_REL = 1e-12;
const CLOSED_FORM_ABS = 1e-15;
const near = (a: number, b: number, rel = CLOSED_FORM_REL, abs = CLOSED_FORM_ABS) => Math.abs(a - b) <= abs + rel * Math.max(Math.abs(a), Math.abs(b));

/** Time grids inside each domain (σ for edm). */
const GRID: Record<string, number[]> = {
  'vp-constant': [0.05, 0.3, 1, 2.5],
  'vp-linear': [0.05, 0.2, 0.5, 0.9],
  'vp-cosine': [0.05, 0.2, 0.5, 0.8],
  ve: [0.05, 0.3, 0.6, 0.95],
  edm: [0.05, 0.5, 2, 10],
};
const PROCESSES: DiffusionProcess[] = [vpConstant(1), vpConstant(2.5), vpLinear(), vpLinear(1, 8), vpCosine(), ve(), ve(0.05, 20), edm()];

describe('forward processes: closed forms as the libraries define them (exact)', () => {
  it('a(t), σ²(t) equal score_sde VPSDE / VESDE, the cosine ᾱ and EDM σ² written here', () => {
    for (const p of PROCESSES) {
      for (const t of GRID[p.name]!) {
        let a: number;
        let s2: number;
        const q = p.parameters;
        if (p.name === 'vp-constant') {
          a = Math.exp(-0.5 * Number(q.beta) * t);
          s2 = 1 - Math.exp(-Number(q.beta) * t);
        } else if (p.name === 'vp-linear') {
          const lmc = -0.25 * t * t * (Number(q.betaMax) - Number(q.betaMin)) - 0.5 * t * Number(q.betaMin);
          a = Math.exp(lmc);
          s2 = 1 - Math.exp(2 * lmc);
        } else if (p.name === 'vp-cosine') {
          const s = Number(q.s);
          const fb = (x: number) => Math.cos(((x + s) / (1 + s)) * (Math.PI / 2)) ** 2;
          a = Math.sqrt(fb(t) / fb(0));
          s2 = 1 - fb(t) / fb(0);
        } else if (p.name === 've') {
          a = 1;
          s2 = (Number(q.sigmaMin) * (Number(q.sigmaMax) / Number(q.sigmaMin)) ** t) ** 2;
        } else {
          a = 1;
          s2 = t * t;
        }
        expect(near(p.meanFactor(t), a), `${p.name} a(${t}) = ${p.meanFactor(t)} vs ${a}`).toBe(true);
        expect(near(p.noiseVariance(t), s2), `${p.name} σ²(${t}) = ${p.noiseVariance(t)} vs ${s2}`).toBe(true);
      }
    }
  });

  /**
   * 5-point central differences, error h⁴|y⁽⁵⁾|/30 + ~1.5u|y|/h. With h = 1e-3·max(1, t) and the
   * grids above (largest fifth derivatives: vp-cosine at t = 0.8, |(log a)⁽⁵⁾| = ½|β⁽⁴⁾| ≲ 5e5;
   * edm σ² is a polynomial) the truncation is ≲ 2e-8 and rounding ≲ 2e-13·|y|: FD_REL = 1e-6
   * relative to 1 + |value| leaves a factor ≥ 50.
   */
  const FD_REL = 1e-6;
  it('f = (log a)′ and g² = (σ²)′ − 2fσ² (finite differences)', () => {
    const d5 = (y: (t: number) => number, t: number, h: number) => (-y(t + 2 * h) + 8 * y(t + h) - 8 * y(t - h) + y(t - 2 * h)) / (12 * h);
    for (const p of PROCESSES) {
      for (const t of GRID[p.name]!) {
        const h = 1e-3 * Math.max(1, t);
        const f = d5((x) => Math.log(p.meanFactor(x)), t, h);
        const g2 = d5((x) => p.noiseVariance(x), t, h) - 2 * p.drift(t) * p.noiseVariance(t);
        expect(Math.abs(f - p.drift(t)), `${p.name} f(${t})`).toBeLessThanOrEqual(FD_REL * (1 + Math.abs(f)));
        expect(Math.abs(g2 - p.diffusionSquared(t)), `${p.name} g²(${t})`).toBeLessThanOrEqual(FD_REL * (1 + Math.abs(g2)));
      }
    }
  });

  it('OU time u(t) = log(1 + σ²/a²) and its inverse', () => {
    for (const p of PROCESSES) {
      for (const t of GRID[p.name]!) {
        const u = Math.log1p(p.noiseVariance(t) / p.meanFactor(t) ** 2);
        expect(near(p.ouTime(t), u, 1e-12, 1e-14), `${p.name} u(${t})`).toBe(true);
        expect(near(p.timeOfOuTime(p.ouTime(t)), t, 1e-12, 1e-14), `${p.name} t(u(${t}))`).toBe(true);
      }
    }
  });

  it('descriptions: defaults of the libraries, refusals', () => {
    expect(processFromDescription({ name: 'vp-linear' }).parameters).toEqual({ name: 'vp-linear', betaMin: 0.1, betaMax: 20 });
    expect(processFromDescription({ name: 've' }).parameters).toEqual({ name: 've', sigmaMin: 0.01, sigmaMax: 50 });
    expect(processFromDescription({ name: 'vp-cosine' }).parameters).toEqual({ name: 'vp-cosine', s: 0.008 });
    expect(() => processFromDescription({ name: 'vp-linear', beta: 1 })).toThrow(/unknown parameter beta/);
    expect(() => processFromDescription({ name: 'ddpm' })).toThrow(/unknown diffusion process/);
    expect(() => processFromDescription({ name: 've', sigmaMin: 2, sigmaMax: 1 })).toThrow(/must exceed/);
    expect(() => processFromDescription({ name: 'vp-linear', betaMin: -1 })).toThrow(/> 0/);
  });
});

// ---------------------------------------------------------------------------------------------
// The OU reduction: exact laws against a moment ODE in the process's own time

const W = [0, -0.8, 0.8, 0];
const xi = (u: number) => [Math.cos((Math.PI * u) / 2), -0.6 * Math.cos((Math.PI * u) / 2)];

/**
 * Served field in process variables for the 2-D Gaussian data N(μ, Σ), closed form: the exact
 * score −(a²Σ + σ²I)⁻¹(x − aμ) plus (perturbed problem) the problem's error by definition,
 * (1/s)(W x/s + ξ(u)), s² = a² + σ², u = log(1 + σ²/a²). Returned as G x + c.
 */
function affineField(c: Coefficients, mu: number[], S: number[], t: number, perturbed: boolean): { G: number[]; c: number[] } {
  const a = c.a(t);
  const s2 = c.s2(t);
  const A = [a * a * S[0]! + s2, a * a * S[1]!, a * a * S[2]!, a * a * S[3]! + s2];
  const det = A[0]! * A[3]! - A[1]! * A[2]!;
  const inv = [A[3]! / det, -A[1]! / det, -A[2]! / det, A[0]! / det];
  const G = inv.map((v) => -v);
  const cc = [inv[0]! * a * mu[0]! + inv[1]! * a * mu[1]!, inv[2]! * a * mu[0]! + inv[3]! * a * mu[1]!];
  if (perturbed) {
    const sc2 = a * a + s2;
    const u = Math.log1p(s2 / (a * a));
    for (let i = 0; i < 4; i++) G[i]! += W[i]! / sc2;
    const e = xi(u);
    cc[0]! += e[0]! / Math.sqrt(sc2);
    cc[1]! += e[1]! / Math.sqrt(sc2);
  }
  return { G, c: cc };
}

/** Moments (m, P) of the reverse SDE / PF-ODE in τ = T − t, RK4 with N steps, 2-D. */
function directMoments(c: Coefficients, mu: number[], S: number[], T: number, t0: number, perturbed: boolean, kind: SamplerKind, N: number): number[] {
  const kappa = kind === 'sde' ? 1 : 0.5;
  const rhs = (t: number, y: number[]) => {
    const { G, c: cv } = affineField(c, mu, S, t, perturbed);
    const f = c.f(t);
    const g2 = c.g2(t);
    const F = [-f + kappa * g2 * G[0]!, kappa * g2 * G[1]!, kappa * g2 * G[2]!, -f + kappa * g2 * G[3]!];
    const b = [kappa * g2 * cv[0]!, kappa * g2 * cv[1]!];
    const m = [y[0]!, y[1]!];
    const P = [y[2]!, y[3]!, y[4]!, y[5]!];
    const dm = [F[0]! * m[0]! + F[1]! * m[1]! + b[0]!, F[2]! * m[0]! + F[3]! * m[1]! + b[1]!];
    const FP = [F[0]! * P[0]! + F[1]! * P[2]!, F[0]! * P[1]! + F[1]! * P[3]!, F[2]! * P[0]! + F[3]! * P[2]!, F[2]! * P[1]! + F[3]! * P[3]!];
    const noise = kind === 'sde' ? g2 : 0;
    return [dm[0]!, dm[1]!, 2 * FP[0]! + noise, FP[1]! + FP[2]!, FP[2]! + FP[1]!, 2 * FP[3]! + noise];
  };
  const aT = c.a(T);
  const sT = c.s2(T);
  let y = [aT * mu[0]!, aT * mu[1]!, aT * aT * S[0]! + sT, aT * aT * S[1]!, aT * aT * S[2]!, aT * aT * S[3]! + sT];
  const h = (T - t0) / N;
  const add = (u: number[], v: number[], k: number) => u.map((x, i) => x + k * v[i]!);
  for (let j = 0; j < N; j++) {
    const t = T - j * h;
    const k1 = rhs(t, y);
    const k2 = rhs(t - h / 2, add(y, k1, h / 2));
    const k3 = rhs(t - h / 2, add(y, k2, h / 2));
    const k4 = rhs(t - h, add(y, k3, h));
    y = y.map((x, i) => x + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
  }
  return y;
}

/**
 * Direct-ODE tolerance: RK4 step doubling, error of the fine run ≈ |y_N − y_2N|/15 in the
 * asymptotic regime; we allow 10·|y_N − y_2N| (150× the estimate) plus an absolute 1e-9 for the
 * src oracle's own tolerance (1e-11 relative on moments ≤ 10) and the rounding of 2·10³ RK4 steps
 * (≲ 1e3·50·1.1e-16 ≈ 6e-12).
 */
const DIRECT_N = 1000;
const DIRECT_ABS = 1e-9;

describe('OU reduction: exact laws under each process equal the moment ODE in the process\'s own time (exact)', () => {
  for (const name of PROCESS_NAMES) {
    for (const kind of ['sde', 'ode'] as SamplerKind[]) {
      it(`${name}, ${kind}: perturbed-score and gauss-2d`, () => {
        const process = processFromDescription({ name });
        const c = lib.coefficients(process.parameters);
        for (const id of ['perturbed-score', 'gauss-2d']) {
          const p = auditProblems('default', kind, { process }).find((q) => q.id === id)!;
          const g = p.data.components[0]!;
          const mu = Array.from(g.mean);
          const S = Array.from(g.cov);
          const coarse = directMoments(c, mu, S, p.T, p.t0, p.error !== null, kind, DIRECT_N);
          const fine = directMoments(c, mu, S, p.T, p.t0, p.error !== null, kind, 2 * DIRECT_N);
          const { mean, cov } = exactMoments(p);
          const got = [mean[0]!, mean[1]!, cov[0]!, cov[1]!, cov[2]!, cov[3]!];
          for (let i = 0; i < 6; i++) {
            const tol = 10 * Math.abs(coarse[i]! - fine[i]!) + DIRECT_ABS;
            expect(Math.abs(got[i]! - fine[i]!), `${name} ${kind} ${id} moment ${i}: ${got[i]} vs direct ${fine[i]}`).toBeLessThanOrEqual(tol);
          }
          // start law: the process's marginal at T
          const start = startLaw(p).components[0]!;
          const aT = c.a(p.T);
          expect(near(start.mean[0]!, aT * mu[0]!)).toBe(true);
          expect(near(start.cov[0]!, aT * aT * S[0]! + c.s2(p.T))).toBe(true);
        }
      });
    }
  }
});

describe('served fields: score, eps and the σ-denoiser against closed forms (exact)', () => {
  /** 2×2 solves and a dozen operations: 1e-12 relative + 1e-12 absolute (values O(1–10)). */
  const FIELD_TOL = 1e-12;
  for (const name of PROCESS_NAMES) {
    it(`${name}`, () => {
      const process = processFromDescription({ name });
      const c = lib.coefficients(process.parameters);
      for (const serves of SERVED_CONVENTIONS) {
        const p = auditProblems('default', 'sde', { process, serves }).find((q) => q.id === 'perturbed-score')!;
        const field = servedScore(p);
        const g = p.data.components[0]!;
        const mu = Array.from(g.mean);
        const S = Array.from(g.cov);
        const x = Float64Array.of(0.3, -1.2, 2.1, 0.4);
        for (const t of [p.t0, 0.5 * (p.t0 + p.T), p.T]) {
          const out = new Float64Array(4);
          let expected: number[];
          if (serves === 'denoiser') {
            const a = c.a(t);
            const sh = Math.sqrt(c.s2(t)) / a;
            field.evaluate(sh, x, 2, out);
            // D(x̂, σ̂) = x̂ − (Σ + σ̂²I)⁻¹(x̂ − μ)·σ̂² + σ̂²·k(W k x̂ + ξ(u)),  k = 1/√(1 + σ̂²), u = log(1 + σ̂²)
            const s2 = sh * sh;
            const A = [S[0]! + s2, S[1]!, S[2]!, S[3]! + s2];
            const det = A[0]! * A[3]! - A[1]! * A[2]!;
            const k = 1 / Math.sqrt(1 + s2);
            const e = xi(Math.log1p(s2));
            expected = [];
            for (let r = 0; r < 2; r++) {
              const y0 = x[2 * r]! - mu[0]!;
              const y1 = x[2 * r + 1]! - mu[1]!;
              const sc = [-(A[3]! * y0 - A[1]! * y1) / det, -(-A[2]! * y0 + A[0]! * y1) / det];
              const pert = [k * (W[0]! * k * x[2 * r]! + W[1]! * k * x[2 * r + 1]! + e[0]!), k * (W[2]! * k * x[2 * r]! + W[3]! * k * x[2 * r + 1]! + e[1]!)];
              expected.push(x[2 * r]! + s2 * (sc[0]! + pert[0]!), x[2 * r + 1]! + s2 * (sc[1]! + pert[1]!));
            }
          } else {
            field.evaluate(t, x, 2, out);
            const { G, c: cv } = affineField(c, mu, S, t, true);
            const factor = serves === 'eps' ? -Math.sqrt(c.s2(t)) : 1;
            expected = [];
            for (let r = 0; r < 2; r++) {
              expected.push(factor * (G[0]! * x[2 * r]! + G[1]! * x[2 * r + 1]! + cv[0]!), factor * (G[2]! * x[2 * r]! + G[3]! * x[2 * r + 1]! + cv[1]!));
            }
          }
          for (let i = 0; i < 4; i++) expect(near(out[i]!, expected[i]!, FIELD_TOL, FIELD_TOL), `${name} ${serves} t=${t} [${i}]: ${out[i]} vs ${expected[i]}`).toBe(true);
        }
      }
    });
  }
});

describe('exactFeatureSds: closed forms (exact)', () => {
  it('Gaussian: Var x_i = Σ_ii, Var (x_i − μ_i)(x_j − μ_j) = Σ_iiΣ_jj + Σ_ij²; 1-D mixture by quadrature', () => {
    const mu = Float64Array.of(1, -0.5);
    const S = Float64Array.of(0.5, 0.2, 0.2, 0.3);
    const sds = exactFeatureSds([1], [{ mean: mu, cov: S }], mu, S);
    const want = [Math.sqrt(0.5), Math.sqrt(0.3), Math.sqrt(2 * 0.25), Math.sqrt(0.5 * 0.3 + 0.04), Math.sqrt(2 * 0.09)];
    for (let k = 0; k < 5; k++) expect(near(sds[k]!, want[k]!, 1e-14, 0)).toBe(true);
    // 1-D mixture 0.3 N(−2, 0.25) + 0.7 N(1.5, 0.36): E(x − μ)⁴ by the trapezoid rule on [−12, 12]
    // (step 1e-3: error ~ h² f''/12·24 ≲ 1e-6 relative for these smooth densities, tails < 1e-60)
    const w = [0.3, 0.7];
    const m = [-2, 1.5];
    const v = [0.25, 0.36];
    const mean = w[0]! * m[0]! + w[1]! * m[1]!;
    const pdf = (x: number) => w.reduce((s, wk, k) => s + (wk * Math.exp(-((x - m[k]!) ** 2) / (2 * v[k]!))) / Math.sqrt(2 * Math.PI * v[k]!), 0);
    let m2 = 0;
    let m4 = 0;
    const h = 1e-3;
    for (let x = -12; x <= 12; x += h) {
      m2 += h * pdf(x) * (x - mean) ** 2;
      m4 += h * pdf(x) * (x - mean) ** 4;
    }
    const q = { dim: 1, weights: Float64Array.from(w), components: [0, 1].map((k) => ({ dim: 1, mean: Float64Array.of(m[k]!), cov: Float64Array.of(v[k]!), kind: 'isotropic' as const })) };
    const mm = mixtureMean(q as never);
    const cc = mixtureCovariance(q as never);
    const sd = exactFeatureSds(q.weights, q.components, mm, cc);
    expect(Math.abs(sd[0]! - Math.sqrt(m2)) / Math.sqrt(m2)).toBeLessThan(1e-6);
    expect(Math.abs(sd[1]! - Math.sqrt(m4 - m2 * m2)) / Math.sqrt(m4 - m2 * m2)).toBeLessThan(1e-6);
  });
});

// ---------------------------------------------------------------------------------------------
// Power on demand, exact: the EM chain's law on gauss-1d

type Bug = null | 'beta-1.2' | 'grid-T';

/** Exact (mean, variance) of the process-em fixture's output on gauss-1d (data N(1.5, 0.36)) at K steps. */
function emChain(c: Coefficients, T: number, t0: number, K: number, bug: Bug): { m: number; P: number } {
  const mu = 1.5;
  const v = 0.36;
  const k = bug === 'beta-1.2' ? 1.2 : 1;
  const h = bug === 'grid-T' ? T / K : (T - t0) / K;
  let m = c.a(T) * mu;
  let P = c.a(T) ** 2 * v + c.s2(T);
  for (let j = 0; j < K; j++) {
    const t = T - j * h;
    const a = c.a(t);
    const St = a * a * v + c.s2(t);
    const f = k * c.f(t);
    const g2 = k * c.g2(t);
    const M = 1 + h * (-f - g2 / St);
    m = M * m + (h * g2 * a * mu) / St;
    P = M * M * P + g2 * h;
  }
  return { m, P };
}

interface Verdicts {
  /** moments check fails with probability ≥ 0.99 on some feature */
  momentsFails: boolean;
  extrapolationFails: boolean;
  /** allowance premises (correct samplers): |b4| ≤ c|b2 − b4| + floor, |r4| ≤ c'|r2 − r4| + floor, every feature */
  premisesHold: boolean;
  detail: string;
}

function predict(p: AuditProblem, levels: { m: number; P: number }[], n: number, deltaPerCheck: number): Verdicts {
  const { mean, cov } = exactMoments(p);
  const mu = mean[0]!;
  const varExact = cov[0]!;
  const scale = [Math.sqrt(varExact), varExact];
  const exact = [mu, varExact];
  // features per level: E x, E (x − μ)²; sds: √P, √(2P² + 4P(m − μ)²)
  const E = levels.map(({ m, P }) => [m, P + (m - mu) ** 2]);
  const sd = levels.map(({ m, P }) => [Math.sqrt(P), Math.sqrt(2 * P * P + 4 * P * (m - mu) ** 2)]);
  const F = 2;
  const z = zTwoSided(deltaPerCheck / (2 * F));
  const zq = zOneSided(POWER_MISS / 2);
  const c = biasAllowanceFactor(1);
  const c2 = extrapolationAllowanceFactor(1);
  let momentsFails = false;
  let extrapolationFails = false;
  let premisesHold = true;
  const detail: string[] = [];
  for (let k = 0; k < F; k++) {
    const [e1, e2, e4] = [E[0]![k]!, E[1]![k]!, E[2]![k]!];
    const [se1, se2, se4] = [sd[0]![k]! / Math.sqrt(n), sd[1]![k]! / Math.sqrt(n), sd[2]![k]! / Math.sqrt(n)];
    const s24 = Math.hypot(se2, se4);
    const floor = MOMENT_BIAS_FLOOR * scale[k]!;
    // moments: fails w.p. ≥ 0.99 if even the 0.5 % lower deviation exceeds the 0.5 % upper threshold
    const devLow = Math.abs(e4 - exact[k]!) - zq * se4;
    const threshHigh = c * (Math.abs(e2 - e4) + zq * s24) + floor + z * (se4 + c * s24);
    if (devLow > threshHigh) momentsFails = true;
    // extrapolation (λ = 1)
    const R4 = 2 * e4 - e2;
    const R2 = 2 * e2 - e1;
    const seR4 = Math.hypot(2 * se4, se2);
    const seDiff = Math.sqrt(se1 ** 2 + (3 * se2) ** 2 + (2 * se4) ** 2);
    const xLow = Math.abs(R4 - exact[k]!) - zq * seR4;
    const xHigh = c2 * (Math.abs(R2 - R4) + zq * seDiff) + floor + z * (seR4 + c2 * seDiff);
    if (xLow > xHigh) extrapolationFails = true;
    const b2 = e2 - exact[k]!;
    const b4 = e4 - exact[k]!;
    if (Math.abs(b4) > c * Math.abs(b2 - b4) + floor) premisesHold = false;
    if (Math.abs(R4 - exact[k]!) > c2 * Math.abs(R2 - R4) + floor) premisesHold = false;
    detail.push(`feature ${k}: b2 ${((e2 - exact[k]!) / scale[k]!).toFixed(4)} b4 ${(b4 / scale[k]!).toFixed(4)} r4 ${((R4 - exact[k]!) / scale[k]!).toFixed(4)} (scale units); moments dev-low ${(devLow / scale[k]!).toFixed(4)} vs ${(threshHigh / scale[k]!).toFixed(4)}; extrapolation ${(xLow / scale[k]!).toFixed(4)} vs ${(xHigh / scale[k]!).toFixed(4)}`);
  }
  return { momentsFails, extrapolationFails, premisesHold, detail: detail.join('; ') };
}

describe('power on demand at --min-effect 0.05 on gauss-1d, exact chain laws (checks.ts POWER ON DEMAND, EXTRAPOLATION)', () => {
  const EFFECT = 0.05;
  for (const name of PROCESS_NAMES) {
    const process = processFromDescription({ name });
    const c = lib.coefficients(process.parameters);
    const all = auditProblems('default', 'sde', { process });
    const p = all.find((q) => q.id === 'gauss-1d')!;
    // δ per check of a default CLI audit with --min-effect (7 problems × 5 checks)
    const deltaPerCheck = DEFAULT_AUDIT_DELTA / (all.length * checksPerProblem({ extrapolation: true }));
    const n = particlesForEffect(p, EFFECT, deltaPerCheck);
    const chain = (bug: Bug) => [1, 2, 4].map((m) => emChain(c, p.T, p.t0, m * p.steps, bug));
    it(`${name}: the correct EM chain meets both allowance premises exactly`, () => {
      const v = predict(p, chain(null), n, deltaPerCheck);
      expect(v.premisesHold, v.detail).toBe(true);
      expect(v.momentsFails || v.extrapolationFails, v.detail).toBe(false);
    });
    for (const bug of ['beta-1.2', 'grid-T'] as const) {
      it(`${name}: ${bug} fails with probability ≥ 0.99 at n = particlesForEffect (${n})`, () => {
        const v = predict(p, chain(bug), n, deltaPerCheck);
        expect(v.momentsFails || v.extrapolationFails, v.detail).toBe(true);
      });
    }
  }

  it('particlesForEffect: the sized n meets the power formula, n − 1 % does not', () => {
    const p = auditProblems('default').find((q) => q.id === 'gauss-1d')!;
    const dpc = 1e-6 / 35;
    const n = particlesForEffect(p, 0.05, dpc);
    // gauss-1d, Gaussian exact law: feature sd / scale = 1 (mean), √2 (variance); the binding
    // constraint is the extrapolation check's noise (√5 + c'√14 per unit se) on the variance
    // z at δ/(2F), F = 2 features, plus the power z the checks use (two-sided at POWER_MISS/2: conservative)
    const z = zTwoSided(dpc / 4) + zTwoSided(POWER_MISS / 2);
    const coef = Math.sqrt(5) + extrapolationAllowanceFactor(1) * Math.sqrt(14);
    const need = ((z * coef * Math.SQRT2) / (0.05 - 2 * MOMENT_BIAS_FLOOR)) ** 2;
    expect(n).toBe(Math.ceil(need));
    expect(() => particlesForEffect(p, 0.02, dpc)).toThrow(/min-effect/);
    expect(() => particlesForEffect(p, 0.021, dpc)).toThrow(/particles per request/);
  });
});

// ---------------------------------------------------------------------------------------------
// Monte Carlo: correct samplers pass under every process

async function audit(file: string, process: DiffusionProcess, serves: ServedConvention, seed: number, only?: readonly string[], extra: { minEffect?: number; delta?: number } = {}): Promise<AuditResult> {
  const driver = await loadInProcessSampler(FIXTURE(file), TIMEOUT_SECONDS);
  return runAudit(driver, { problems: 'default', seed, delta: extra.delta ?? ASSERTION_DELTA, process, serves, ...(only ? { only } : {}), ...(extra.minEffect !== undefined ? { minEffect: extra.minEffect } : {}) });
}

function describeResult(r: AuditResult): string {
  const bad = r.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.verdict}: ${c.summary}`);
  return `${r.sampler}: ${r.verdict} (${r.summary})${bad.length ? '\n  ' + bad.join('\n  ') : ''}`;
}

const ROTATION: [string, ServedConvention][] = [
  ['vp-constant', 'eps'],
  ['vp-linear', 'denoiser'],
  ['vp-cosine', 'eps'],
  ['ve', 'denoiser'],
  ['edm', 'score'],
];

describe('audit under forward processes: the correct EM fixture passes (false-failure probability ≤ δ per audit)', () => {
  for (const [name, serves] of ROTATION) {
    test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)(`process-em.mjs, --process ${name} --serves ${serves}`, async (seed) => {
      chargePipeline(FILE);
      const r = await audit('process-em.mjs', processFromDescription({ name }), serves, seed, ['gmm-1d', 'perturbed-score']);
      expect(r.verdict, describeResult(r)).toBe('pass');
      expect(r.process?.name).toBe(name);
      expect(r.serves).toBe(serves);
    });
  }
  test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)('process-ode-heun.mjs (declares kind ode, order 2), --process edm --serves denoiser', async (seed) => {
    chargePipeline(FILE);
    const r = await audit('process-ode-heun.mjs', edm(), 'denoiser', seed, ['perturbed-score']);
    expect(r.samplerKind).toBe('ode');
    expect(r.verdict, describeResult(r)).toBe('pass');
  });
});

describe('audit under forward processes: a sampler that ignores the served convention fails (power, no false-alarm budget)', () => {
  for (const [name, serves] of [['vp-linear', 'eps'], ['edm', 'denoiser']] as [string, ServedConvention][]) {
    test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)(`process-em-field-as-score.mjs, --process ${name} --serves ${serves}: fails on gmm-1d`, async (seed) => {
      // the ε-prediction (−σ·score) or the denoiser (≈ x) taken for the score: an O(1) error in the
      // drift, the output variance is off by orders of magnitude (measured: 250 and 490 vs 2.7 and 3.0)
      const r = await audit('process-em-field-as-score.mjs', processFromDescription({ name }), serves, seed, ['gmm-1d'], { delta: DEFAULT_AUDIT_DELTA });
      expect(r.verdict, describeResult(r)).toBe('fail');
    });
  }
});

describeDeep('audit under forward processes, full default problem set: every process × convention (deep)', () => {
  for (const name of PROCESS_NAMES) {
    for (const serves of SERVED_CONVENTIONS) {
      test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)(`process-em.mjs --process ${name} --serves ${serves}`, async (seed) => {
        const r = await audit('process-em.mjs', processFromDescription({ name }), serves, seed);
        expect(r.verdict, describeResult(r)).toBe('pass');
      }, DEEP_AUDIT_TIMEOUT_MS);
    }
    test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)(`process-ode-heun.mjs --process ${name}`, async (seed) => {
      const r = await audit('process-ode-heun.mjs', processFromDescription({ name }), 'score', seed);
      expect(r.verdict, describeResult(r)).toBe('pass');
    }, DEEP_AUDIT_TIMEOUT_MS);
  }
});

describeDeep('--min-effect 0.05 on gauss-1d: both mis-mappings fail, the correct sampler passes (deep; minutes per audit)', () => {
  for (const name of ['vp-constant', 'vp-linear']) {
    test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)(`${name}: correct EM passes, with an expected wall time`, async (seed) => {
      const r = await audit('process-em.mjs', processFromDescription({ name }), 'score', seed, ['gauss-1d'], { minEffect: 0.05 });
      expect(r.verdict, describeResult(r)).toBe('pass');
      expect(r.expectedSeconds).toBeGreaterThan(0);
    }, MIN_EFFECT_TIMEOUT_MS);
    for (const file of ['process-em-beta1.2.mjs', 'process-em-grid-T.mjs']) {
      test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)(`${name}: ${file} fails`, async (seed) => {
        const r = await audit(file, processFromDescription({ name }), 'score', seed, ['gauss-1d'], { minEffect: 0.05, delta: DEFAULT_AUDIT_DELTA });
        expect(r.verdict, describeResult(r)).toBe('fail');
        // the mis-mapping is caught as a K-independent bias, not only by the one-level moments check
        expect(r.checks.find((c) => c.kind === 'extrapolation')!.verdict, describeResult(r)).toBe('fail');
      }, MIN_EFFECT_TIMEOUT_MS);
    }
  }
});

describe('CLI flags --process / --min-effect (src/cli/commands/audit.ts)', () => {
  it('parseProcess: defaults, parameters, refusals as usage errors', async () => {
    const { parseProcess, parseMinEffect } = await import('../../src/cli/commands/audit.ts');
    const { UsageError } = await import('../../src/cli/io.ts');
    expect(parseProcess({})).toBeUndefined();
    expect(parseProcess({ process: 'vp-linear', betaMin: '0.1', betaMax: '12' })!.parameters).toEqual({ name: 'vp-linear', betaMin: 0.1, betaMax: 12 });
    expect(parseProcess({ process: 've' })!.parameters).toEqual({ name: 've', sigmaMin: 0.01, sigmaMax: 50 });
    expect(parseProcess({ process: 'vp-cosine', cosineS: '0.01' })!.parameters).toEqual({ name: 'vp-cosine', s: 0.01 });
    expect(() => parseProcess({ betaMin: '1' })).toThrow(UsageError);
    expect(() => parseProcess({ process: 've', betaMax: '3' })).toThrow(/does not apply/);
    expect(() => parseProcess({ process: 'vp-linear', betaMax: 'x' })).toThrow(/must be a number/);
    expect(() => parseProcess({ process: 'ddim' })).toThrow(/--process must be one of/);
    expect(() => parseProcess({ process: 've', sigmaMin: '5', sigmaMax: '1' })).toThrow(UsageError);
    expect(parseMinEffect('0.05')).toBe(0.05);
    for (const bad of ['0.02', '0', '1', '', 'abc']) expect(() => parseMinEffect(bad)).toThrow(UsageError);
  });
});

// ---------------------------------------------------------------------------------------------
// The numpy adapter of docs/audit.md, run as printed there

const { spawnSync } = await import('node:child_process');
const HAS_NUMPY = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

(HAS_NUMPY ? describe : describe.skip)(`docs/audit.md numpy DDIM adapter (the code block itself)${HAS_NUMPY ? '' : ': SKIPPED, python3 with numpy is not installed'}`, () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)('passes --process vp-linear --serves eps --kind ode on perturbed-score', async (seed) => {
    chargePipeline(FILE);
    const { readFileSync, writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { startCommandSampler } = await import('../../src/audit/driver-command.ts');
    const doc = readFileSync(resolve(ROOT, 'docs/audit.md'), 'utf8');
    const start = doc.indexOf('```python\n#!/usr/bin/env python3\n"""DDIM');
    expect(start, 'the DDIM block is in docs/audit.md').toBeGreaterThanOrEqual(0);
    const code = doc.slice(start + '```python\n'.length, doc.indexOf('\n```', start + 10) + 1);
    const dir = mkdtempSync(join(tmpdir(), 'ddim-doc-'));
    try {
      const file = join(dir, 'ddim_numpy.py');
      writeFileSync(file, code);
      const driver = startCommandSampler(`python3 ${JSON.stringify(file)}`, TIMEOUT_SECONDS, ROOT);
      const r = await runAudit(driver, { problems: 'default', seed, delta: ASSERTION_DELTA, kind: 'ode', process: vpLinear(), serves: 'eps', only: ['perturbed-score'] });
      expect(r.verdict, describeResult(r)).toBe('pass');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
