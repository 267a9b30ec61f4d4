import { vi } from 'vitest';

/** Captures everything written to stdout and stderr (the logs) until `vi.restoreAllMocks()`. */
export function captureOutput(): { text(): string } {
  let output = '';
  const write = (chunk: unknown) => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(write);
  vi.spyOn(process.stderr, 'write').mockImplementation(write);
  return { text: () => output };
}
