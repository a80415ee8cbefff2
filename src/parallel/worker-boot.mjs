// Boot file of the sampler pool's workers: a `.ts` worker fails under tsx
// (ERR_UNKNOWN_FILE_EXTENSION), so register tsx's ESM loader in this thread first, then import
// the TypeScript worker and re-export its task function (shared/TOOLING.md).
import { register } from 'tsx/esm/api';

register();
const mod = await import(new URL('./gmm-worker.ts', import.meta.url).href);
export default mod.default;
