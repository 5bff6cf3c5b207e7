// One browser per test file: started before the file's first test with the bundled sample open,
// checked after every test for page errors nobody expected, closed after the last test.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchStudio, type Studio } from './studio';
import { TempFiles } from './testModels';

export const SAMPLE_FILE_NAME = 'starter-cnn.onnx';

export interface StudioSession {
  studio: Studio;
  files: TempFiles;
}

/** Registers the hooks and returns a handle whose fields are set once beforeAll has run. */
export function useStudioSession(options: { search?: string } = {}): StudioSession {
  const session = {} as StudioSession;
  beforeAll(async () => {
    session.files = await TempFiles.create();
    session.studio = await launchStudio(options);
    await session.studio.waitForModel(SAMPLE_FILE_NAME);
  });
  afterEach(() => {
    session.studio?.assertNoUnexpectedProblems();
  });
  afterAll(async () => {
    await session.studio?.close();
    await session.files?.remove();
  });
  return session;
}
