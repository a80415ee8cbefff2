/** `collapse-check merge` (placeholder until its issue lands: exits 2 with a clear message). */
import type { Command } from 'commander';
import { EXIT_USAGE } from '../io.ts';

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('merge')
    .description('not implemented yet')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('collapse-check merge: not implemented yet\n');
      setExit(EXIT_USAGE);
    });
}
