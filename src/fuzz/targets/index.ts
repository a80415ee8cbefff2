/**
 * The fuzz targets (one per claim or claim pair), looked up by id or alias (case-insensitive).
 */
import type { FuzzTarget } from '../target.ts';
import { girsanovTarget } from './girsanov.ts';
import { sandwichTarget } from './sandwich.ts';
import { collapseFloorTarget } from './collapse-floor.ts';
import { discountedTarget } from './discounted.ts';
import { kdeTarget } from './kde-finiteness.ts';
import { limitTarget } from './limit-contraction.ts';
import { w2BallTarget } from './w2-ball.ts';

export const FUZZ_TARGETS: readonly FuzzTarget[] = [girsanovTarget, sandwichTarget, collapseFloorTarget, discountedTarget, kdeTarget, limitTarget, w2BallTarget];

export function findTarget(name: string): FuzzTarget | null {
  const n = name.trim().toLowerCase();
  return FUZZ_TARGETS.find((t) => t.id.toLowerCase() === n || t.aliases.some((a) => a.toLowerCase() === n)) ?? null;
}

export function targetNames(): string[] {
  return FUZZ_TARGETS.map((t) => t.id);
}
