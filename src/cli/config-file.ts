/**
 * Reading a JSON input file named by a flag (`simulate --config`), bounded (issue 17 row 14:
 * `--config /dev/zero` read 3 GB in 11 s): at most MAX_CONFIG_BYTES are read, from a regular file
 * or a device/pipe alike; more, a directory, a missing file or invalid JSON is a BadInput naming
 * the flag and the file.
 */
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { BadInput } from './errors.ts';
import { terminalSafe } from '../numerics/text.ts';

/** 16 MiB: the largest shipped config is < 4 KiB; a 1000-dimensional full covariance is ≈ 10 MiB of JSON. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

export function readJsonFile(path: string, flag: string, maxBytes = MAX_CONFIG_BYTES): unknown {
  const shown = `${flag} ${terminalSafe(path)}`;
  if (path.trim() === '') throw new BadInput(`${flag} must name a file, got an empty string`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BadInput(`${shown}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be opened (${code})`}`);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new BadInput(`${shown}: is a directory, not a file`);
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        throw new BadInput(`${shown}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new BadInput(`${shown}: larger than ${maxBytes} bytes (the limit for a JSON input); is it the right file?`);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new BadInput(`${shown}: not valid JSON: ${(e as Error).message}`);
    }
  } finally {
    closeSync(fd);
  }
}
