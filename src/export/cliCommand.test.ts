import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { designExample } from '../core/pipeline/testPipelines';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { cliCommand, outputFolderFor, shellQuote } from './cliCommand';

const sample = designExample() as unknown as PipelineSpec;

describe('cliCommand', () => {
  it('needs no --model or --data for samples: the pipeline names them', () => {
    expect(cliCommand(sample, 'fashion-cnn.whittle.json')).toBe('npx whittle run fashion-cnn.whittle.json --out whittle-out/fashion-cnn');
  });

  it("passes a user's own files by name, quoted for the shell", () => {
    const own = { ...sample, model: { name: "Bob's model v2.onnx", sha256: 'a'.repeat(64) }, dataset: { name: 'digits.npz', sha256: 'b'.repeat(64) } };
    expect(cliCommand(own, "Bob's model v2.whittle.json")).toBe(
      "npx whittle run 'Bob'\\''s model v2.whittle.json' --model 'Bob'\\''s model v2.onnx' --data digits.npz --out 'whittle-out/Bob'\\''s model v2'",
    );
    expect(outputFolderFor('x.json')).toBe('whittle-out/x');
  });

  it('quotes any argument so that a POSIX shell reads it back unchanged', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }).filter((text) => !text.includes('\u0000')), (argument) => {
        const echoed = execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(argument)}`], { encoding: 'utf8' });
        expect(echoed).toBe(argument);
      }),
      { numRuns: 40 },
    );
  });
});
