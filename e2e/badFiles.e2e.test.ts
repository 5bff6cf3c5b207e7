// Files that cannot be used: a truncated model, text, a tensor whose data disagrees with its dims.
// Each gets an error banner that names the file and says what is wrong; the model that was open
// stays open, and the studio still opens a good file afterwards.
import { describe, expect, it } from 'vitest';
import { builtFile } from './support/buildDir';
import { readLayerRows } from './support/panel';
import { SAMPLE_FILE_NAME, useStudioSession } from './support/lifecycle';
import type { StudioFile } from './support/studio';
import { expectedView, modelFile, residualModel, shortTensorModel, textFile, truncatedFile } from './support/testModels';

const sample: StudioFile = { name: SAMPLE_FILE_NAME, bytes: builtFile(`samples/${SAMPLE_FILE_NAME}`) };
const sampleView = expectedView(sample);

interface BadFileCase {
  what: string;
  file: StudioFile;
  /** What the message must say about the problem, after "<file name>: ". */
  problem: RegExp;
}

const cases: BadFileCase[] = [
  { what: 'a truncated model', file: truncatedFile(sample, 'half-downloaded.onnx'), problem: /ends early|truncated|corrupt/i },
  { what: 'a text file named .onnx', file: textFile('notes.onnx'), problem: /not an ONNX model/i },
  { what: 'a text file that is not .onnx at all', file: textFile('notes.txt'), problem: /no \.onnx model/i },
  {
    what: 'a tensor whose data is shorter than its dims',
    file: modelFile('short-tensor.onnx', shortTensorModel(residualModel(), 'block.weight')),
    // "tensor 'block.weight' declares 64 float32 values (256 bytes) but holds 252 bytes"
    problem: /'block\.weight'.*64.*252/,
  },
];

describe('opening files that are not usable models', () => {
  const session = useStudioSession();

  for (const { what, file, problem } of cases) {
    it(`reports ${what} and keeps the open model`, async () => {
      const { studio, files } = session;
      await studio.openFiles([await files.write(file)]);
      const state = await studio.waitForError(`${file.name}: `);
      const message = state.error!;
      expect(message).toMatch(problem);
      // The banner starts its message with the file's name, as "<file name>: <problem>".
      expect(message.slice(message.indexOf(file.name))).toMatch(new RegExp(`^${file.name.replace(/\./g, '\\.')}: `));

      const after = await studio.waitUntil('the previous model to be shown again', (s) => s.graphStatus === 'ready');
      expect(after.modelName).toBe(SAMPLE_FILE_NAME);
      expect(after.nodeCount).toBe(sampleView.opNodeCount);
      expect((await readLayerRows(studio.page)).map((r) => r.id)).toEqual(sampleView.summary.layers.map((l) => l.id));
      await studio.screenshot(`bad-file-${file.name.replace(/\W+/g, '-')}`);
    });
  }

  it('lets the user dismiss the error', async () => {
    const { studio } = session;
    expect(await studio.page.$('[data-testid="error-banner"]')).not.toBeNull();
    await studio.page.click('[data-testid="error-banner"] button');
    await studio.waitUntil('the error banner to go away', (s) => s.error === null);
    expect((await studio.state()).modelName).toBe(SAMPLE_FILE_NAME);
  });

  it('still runs the model that stayed open', async () => {
    const state = await session.studio.waitForRuntime();
    expect(state.modelName).toBe(SAMPLE_FILE_NAME);
    expect(state.runtimeBackend).toBe('wasm');
  });

  it('still opens a good file afterwards, and the error goes away', async () => {
    const { studio, files } = session;
    const good = modelFile('residual.onnx', residualModel());
    await studio.recordRuntimeBadge();
    await studio.openFiles([await files.write(good)]);
    const state = await studio.waitForModel(good.name);
    expect(state.nodeCount).toBe(expectedView(good).opNodeCount);
    expect(state.error).toBeNull();
    expect(await studio.page.$('[data-testid="error-banner"]')).toBeNull();
    expect((await studio.waitForNewRuntimeResult()).runtimeBackend).toBe('wasm');
    await studio.screenshot('bad-file-then-good-file');
  });
});
