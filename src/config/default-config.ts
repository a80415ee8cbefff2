/**
 * The embedded default of `collapse-check simulate` (no --config): the same document as
 * fixtures/configs/gaussian-1d.json, read at load time so the two never diverge.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEFAULT_CONFIG_PATH = fileURLToPath(new URL('../../fixtures/configs/gaussian-1d.json', import.meta.url));
export const DEFAULT_RECURSION_CONFIG: unknown = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'));
