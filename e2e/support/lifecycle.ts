// One browser per test file: started before the file's first test with the bundled sample open,
// checked after every test for page errors nobody expected, closed after the last test.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchStudio, type LaunchOptions, type Studio } from './studio';
import { TempFiles } from './testModels';

export const SAMPLE_FILE_NAME = 'fashion-cnn.onnx';

export interface StudioSession {
  studio: Studio;
  files: TempFiles;
}

/** Registers the hooks and returns a handle whose fields are set once beforeAll has run. */
export function useStudioSession(options: LaunchOptions & { waitForSample?: boolean } = {}): StudioSession {
  const session = {} as StudioSession;
  beforeAll(async () => {
    session.files = await TempFiles.create();
    session.studio = await launchStudio(options);
    if (options.waitForSample ?? true) await session.studio.waitForModel(SAMPLE_FILE_NAME);
  });
  afterEach(async (context) => {
    if (!session.studio) return;
    // A failed test leaves a picture of what the page showed.
    if (context.task.result?.state === 'fail') {
      const name = `failed-${context.task.name.replace(/\W+/g, '-').slice(0, 80)}`;
      await session.studio.screenshot(name).catch(() => undefined);
    }
    session.studio.assertNoUnexpectedProblems();
  });
  afterAll(async () => {
    try {
      // Whatever the page reported after the last test still counts.
      session.studio?.assertNoUnexpectedProblems();
    } finally {
      await session.studio?.close();
      await session.files?.remove();
    }
  });
  return session;
}
