// When the bundled sample cannot be fetched, the studio says so (graph status "error", a banner
// naming the sample) instead of spinning, and opening a file of one's own still works.
import { describe, expect, it } from 'vitest';
import { SAMPLE_FILE_NAME, useStudioSession } from './support/lifecycle';
import { expectedView, modelFile, residualModel } from './support/testModels';

describe('when the bundled sample is unavailable', () => {
  const session = useStudioSession({
    waitForSample: false,
    beforeLoad: async (studio) => {
      await studio.page.route(`**/samples/${SAMPLE_FILE_NAME}`, (route) => route.fulfill({ status: 404, body: 'gone' }));
    },
  });

  it('shows an error naming the sample and an empty canvas', async () => {
    const { studio } = session;
    studio.allowProblems(/404|Failed to load resource/);
    const state = await studio.waitUntil('the graph view to report an error', (s) => s.graphStatus === 'error');
    expect(state.error).toContain(`${SAMPLE_FILE_NAME}: `);
    expect(state.nodeCount).toBe(0);
    await studio.screenshot('sample-missing');
  });

  it('opens a user file afterwards', async () => {
    const { studio, files } = session;
    const file = modelFile('residual.onnx', residualModel());
    await studio.openFiles([await files.write(file)]);
    const state = await studio.waitForModel(file.name);
    expect(state.nodeCount).toBe(expectedView(file).opNodeCount);
    expect(state.error).toBeNull();
  });
});
