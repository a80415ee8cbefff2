/**
 * One-line summaries of the commands: the top-level `--help` lists them from this table without
 * importing any command module (those pull in vitest, vega, mathjs…: ≈ 0.5 s of start-up), and each
 * command module uses its entry as its own description, so the two never differ.
 */
export const COMMAND_SUMMARIES = {
  verify: 'run the claim properties (same files as npm test) and your own claim files (--claims GLOB), write ledger.json, run.json and the report',
  simulate: 'run one recursive-training simulation (embedded default: 1-D Gaussian, perfect score, t0 = 0.1) and print D, I, KL, … per generation',
  audit: 'check a sampler implementation against the exact reverse-SDE (or, --kind ode, probability-flow ODE) law (see docs/audit.md)',
  merge: 'join shard ledgers (verify --shard i/n) into one ledger and report',
  reproduce: 're-make a paper experiment (p1-e1, p1-e2, p1-e3, p2-e1) and write its report section (see docs/experiments.md)',
  fuzz: "search a claim's configurations beyond its assumptions for violations; shrink, attribute, map",
  claims: 'list every claim (the catalogue and your --claims files): statement, source, assumptions, files, oracles, last verdict (runs nothing)',
  explain: "print one claim's full catalogue record and how to check and replay it (runs nothing)",
} as const;

export type CommandName = keyof typeof COMMAND_SUMMARIES;
