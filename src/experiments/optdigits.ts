/**
 * The optdigits 8×8 handwritten-digit images (fixtures/data/optdigits-8x8.csv.gz: 1 797 images,
 * UCI, CC BY 4.0; provenance and licence in fixtures/data/README.md), the real data of P1-E2 and
 * P1-E3. Pixels v ∈ {0..16} are scaled to v/8 − 1 ∈ [−1, 1]. The file's SHA-256 is checked on load
 * (throws on a mismatch, a missing file, or a malformed row).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const OPTDIGITS_PATH = fileURLToPath(new URL('../../fixtures/data/optdigits-8x8.csv.gz', import.meta.url));
export const OPTDIGITS_SHA256 = '46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a';
export const OPTDIGITS_IMAGES = 1797;
export const PIXELS = 64;

export interface ImageData {
  readonly n: number;
  readonly dim: number;
  /** n·64 row-major, scaled to [−1, 1] */
  readonly pixels: Float64Array;
  readonly labels: Int32Array;
}

let cache: ImageData | null = null;

/** Loads (once per process) and scales the images. */
export function loadOptdigits(path: string = OPTDIGITS_PATH): ImageData {
  if (cache && path === OPTDIGITS_PATH) return cache;
  const gz = readFileSync(path);
  const sha = createHash('sha256').update(gz).digest('hex');
  if (path === OPTDIGITS_PATH && sha !== OPTDIGITS_SHA256) throw new Error(`optdigits: SHA-256 ${sha} differs from the recorded ${OPTDIGITS_SHA256}`);
  const rows = gunzipSync(gz).toString('utf8').trim().split('\n');
  const n = rows.length;
  const pixels = new Float64Array(n * PIXELS);
  const labels = new Int32Array(n);
  rows.forEach((row, i) => {
    const v = row.split(',').map(Number);
    if (v.length !== PIXELS + 1 || v.some((x) => !Number.isInteger(x) || x < 0 || x > 16)) throw new Error(`optdigits: row ${i + 1} is malformed`);
    for (let j = 0; j < PIXELS; j++) pixels[i * PIXELS + j] = v[j]! / 8 - 1;
    labels[i] = v[PIXELS]!;
  });
  const data = { n, dim: PIXELS, pixels, labels };
  if (path === OPTDIGITS_PATH) cache = data;
  return data;
}
