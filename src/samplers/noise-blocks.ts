/**
 * Particles per noise block: block b of every sampler and kernel draws its Brownian increments from
 * `noise.derive(b)`, so outputs are a function of (seed, particle index) only, whatever the worker
 * count. Fixed: changing it changes every sampled number.
 */
export const BLOCK_SIZE = 256;
