/**
 * The seeded, splittable RNG (src/random/rng.ts): replay, derivation independent of consumption,
 * bulk = scalar normals, serialisable state. Exact properties (no tolerance).
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { Rng } from '../../src/random/rng.ts';

const seed = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const label = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: 0, max: 1e6 }));

describe('RNG: same seed ⇒ identical numbers', () => {
  test.prop([seed, fc.integer({ min: 1, max: 300 })])('two streams from one seed agree', (s, n) => {
    const a = Rng.fromSeed(s).normals(n);
    const b = Rng.fromSeed(s).normals(n);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  test.prop([seed, fc.array(label, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 50 })])(
    'a derived stream does not depend on what the parent drew',
    (s, labels, consumed) => {
      const fresh = Rng.fromSeed(s).derive(...labels).normals(16);
      const parent = Rng.fromSeed(s);
      parent.normals(consumed);
      expect(Array.from(parent.derive(...labels).normals(16))).toEqual(Array.from(fresh));
      expect(Array.from(Rng.fromPath(s, ...labels).normals(16))).toEqual(Array.from(fresh));
    },
  );

  test.prop([seed, fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 12 })])(
    'fillNormal in chunks equals successive normal() calls',
    (s, chunks) => {
      const total = chunks.reduce((a, b) => a + b, 0);
      const bulk = new Float64Array(total);
      const r = Rng.fromSeed(s);
      let off = 0;
      for (const c of chunks) {
        r.fillNormal(bulk, off, c);
        off += c;
      }
      const q = Rng.fromSeed(s);
      const scalar = Array.from({ length: total }, () => q.normal());
      expect(Array.from(bulk)).toEqual(scalar);
    },
  );

  test.prop([seed, fc.integer({ min: 0, max: 41 })])('state() / fromState() resumes the stream exactly', (s, k) => {
    const r = Rng.fromSeed(s);
    r.normals(k);
    const copy = Rng.fromState(JSON.parse(JSON.stringify(r.state())));
    expect(Array.from(copy.normals(7))).toEqual(Array.from(r.normals(7)));
    expect(copy.uniform()).toBe(r.uniform());
  });

  test.prop([seed, fc.integer({ min: 1, max: 1000 })])('int(n) stays in [0, n), uniform() in [0, 1)', (s, n) => {
    const r = Rng.fromSeed(s);
    for (let i = 0; i < 50; i++) {
      const k = r.int(n);
      expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
    }
  });
});

describe('RNG: distinct paths give distinct streams', () => {
  test.prop([seed])('siblings differ', (s) => {
    const r = Rng.fromSeed(s);
    expect(Array.from(r.derive(0).normals(4))).not.toEqual(Array.from(r.derive(1).normals(4)));
    expect(Array.from(r.derive('noise').normals(4))).not.toEqual(Array.from(r.derive('data').normals(4)));
  });
});
