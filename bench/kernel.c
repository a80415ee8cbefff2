/*
 * C reference of the bench kernel (compiled by bench/run.ts with `cc -O3 -march=native`):
 * K-component isotropic GMM score of P_t q (log-sum-exp responsibilities) + Euler–Maruyama step of
 * the reverse VP-OU SDE, single thread, the same structure as the TypeScript fused kernel
 * (per-step compiled means/precisions/log constants, blocks of 256 particles, bulk polar normals per
 * block and step, particles row-major double). RNG: xoshiro256** seeded by splitmix64 per block
 * (different numbers from the TypeScript run, same law).
 *
 *   usage: kernel PARAMS OUT REPEATS   (PARAMS format: see bench/numpy_kernel.py)
 * Writes the last repeat's particles (float64 row-major N*d) to OUT; prints
 * {"seconds": [...], "cpuSeconds": [...]} (wall and process CPU time of the step loop).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BLOCK 256

typedef struct { uint64_t s[4]; } rng_t;
static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static void seed_rng(rng_t *r, uint64_t seed, uint64_t stream) {
  uint64_t x = seed * 0x9E3779B97F4A7C15ULL ^ (stream + 0x632BE59BD9B4E019ULL);
  for (int i = 0; i < 4; i++) r->s[i] = splitmix(&x);
}
static inline uint64_t next(rng_t *r) {
  uint64_t *s = r->s;
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45);
  return result;
}
static inline double unif_pm1(rng_t *r) { return (double)(next(r) >> 11) * 0x1.0p-52 - 1.0; }
/* bulk polar (Marsaglia), both outputs used */
static void fill_normal(rng_t *r, double *z, int n) {
  int i = 0;
  while (i < n) {
    double u, v, s;
    do { u = unif_pm1(r); v = unif_pm1(r); s = u * u + v * v; } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    z[i++] = u * f;
    if (i < n) z[i++] = v * f;
  }
}

static double now(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec + 1e-9 * ts.tv_nsec; }

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: kernel PARAMS OUT REPEATS\n"); return 2; }
  FILE *f = fopen(argv[1], "r");
  if (!f) { perror("params"); return 1; }
  int d, K, N, steps; long seed;
  if (fscanf(f, "%d %d %d %d %ld", &d, &K, &N, &steps, &seed) != 5) return 1;
  double *w = malloc(K * sizeof(double)), *m = malloc(K * d * sizeof(double)), *v = malloc(K * sizeof(double));
  double *times = malloc((steps + 1) * sizeof(double));
  for (int k = 0; k < K; k++) if (fscanf(f, "%lf", &w[k]) != 1) return 1;
  for (int k = 0; k < K; k++) { for (int j = 0; j < d; j++) if (fscanf(f, "%lf", &m[k * d + j]) != 1) return 1; if (fscanf(f, "%lf", &v[k]) != 1) return 1; }
  for (int k = 0; k <= steps; k++) if (fscanf(f, "%lf", &times[k]) != 1) return 1;
  fclose(f);
  int repeats = atoi(argv[3]);

  /* per-step compiled parameters */
  double *mu = malloc((size_t)steps * K * d * sizeof(double)), *prec = malloc((size_t)steps * K * sizeof(double)), *lc = malloc((size_t)steps * K * sizeof(double));
  double *hh = malloc(steps * sizeof(double));
  for (int s = 0; s < steps; s++) {
    double t = times[s], a = exp(-0.5 * t), s2 = -expm1(-t);
    hh[s] = t - times[s + 1];
    for (int k = 0; k < K; k++) {
      double var = a * a * v[k] + s2;
      prec[s * K + k] = 1.0 / var;
      lc[s * K + k] = log(w[k]) - 0.5 * d * log(var);
      for (int j = 0; j < d; j++) mu[((size_t)s * K + k) * d + j] = a * m[k * d + j];
    }
  }
  double *x = malloc((size_t)N * d * sizeof(double));
  double *z = malloc(BLOCK * d * sizeof(double));
  double *r = malloc(K * sizeof(double)), *sc = malloc(d * sizeof(double));
  double *cpu = malloc(repeats * sizeof(double));
  printf("{\"seconds\": [");
  for (int rep = 0; rep < repeats; rep++) {
    rng_t start; seed_rng(&start, seed + 1000003L * rep, 0xFFFFFFFFULL);
    fill_normal(&start, x, N * d);
    double t0 = now();
    clock_t c0 = clock();
    int blocks = (N + BLOCK - 1) / BLOCK;
    for (int b = 0; b < blocks; b++) {
      int m0 = b * BLOCK, mb = N - m0 < BLOCK ? N - m0 : BLOCK;
      rng_t rng; seed_rng(&rng, seed + 1000003L * rep, (uint64_t)b);
      double *xb = x + (size_t)m0 * d;
      for (int s = 0; s < steps; s++) {
        fill_normal(&rng, z, mb * d);
        const double *M = mu + (size_t)s * K * d, *P = prec + s * K, *L = lc + s * K;
        const double h = hh[s], sh = sqrt(h), c = 1.0 + 0.5 * h;
        for (int i = 0; i < mb; i++) {
          double *xi = xb + (size_t)i * d;
          double max = -INFINITY;
          for (int k = 0; k < K; k++) {
            double q = 0;
            for (int j = 0; j < d; j++) { double df = xi[j] - M[k * d + j]; q += df * df; }
            r[k] = L[k] - 0.5 * P[k] * q;
            if (r[k] > max) max = r[k];
          }
          double sum = 0;
          for (int k = 0; k < K; k++) { r[k] = exp(r[k] - max); sum += r[k]; }
          double inv = 1.0 / sum;
          for (int j = 0; j < d; j++) sc[j] = 0;
          for (int k = 0; k < K; k++) {
            double co = r[k] * inv * P[k];
            for (int j = 0; j < d; j++) sc[j] -= co * (xi[j] - M[k * d + j]);
          }
          const double *zi = z + (size_t)i * d;
          for (int j = 0; j < d; j++) xi[j] = c * xi[j] + h * sc[j] + sh * zi[j];
        }
      }
    }
    printf(rep ? ", %.6f" : "%.6f", now() - t0);
    cpu[rep] = (double)(clock() - c0) / CLOCKS_PER_SEC;
  }
  printf("], \"cpuSeconds\": [");
  for (int rep = 0; rep < repeats; rep++) printf(rep ? ", %.6f" : "%.6f", cpu[rep]);
  printf("]}\n");
  FILE *o = fopen(argv[2], "wb");
  if (!o) { perror("out"); return 1; }
  fwrite(x, sizeof(double), (size_t)N * d, o);
  fclose(o);
  return 0;
}
