import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleNote, samples } from '../../dev/samples';
import { functionDefinitions, projectRoot } from '../../dev/serverless-config';

const eventFiles = readdirSync(`${projectRoot}events`).map((name) => `events/${name}`);
const read = (file: string) => JSON.parse(readFileSync(`${projectRoot}${file}`, 'utf8')) as Record<string, unknown>;

describe('the sample events', () => {
  it('are each listed once, for a function serverless.yml defines, and every listed one exists', () => {
    const functions = functionDefinitions().map((f) => f.name);

    expect(samples.map((s) => s.file).sort()).toEqual(eventFiles.sort());
    expect(samples.filter((s) => !functions.includes(s.functionName))).toEqual([]);
  });

  it('cover every function', () => {
    expect(new Set(samples.map((s) => s.functionName))).toEqual(new Set(functionDefinitions().map((f) => f.name)));
  });

  it('open with the line that says what each shows and whether it needs npm start (npx tsx dev/make-events.ts rewrites them)', () => {
    for (const sample of samples) expect(read(sample.file)['//'], sample.file).toBe(sampleNote(sample));
  });

  it('say, in the consent page sample, how to get a real link token', () => {
    const consent = read('events/consent.get.json');

    expect(consent['//']).toContain('npm run say -- "link my bank"');
    expect(consent['//']).toContain('queryStringParameters.t');
  });
});
