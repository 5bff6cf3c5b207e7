// Drives the studio in Debian's Chromium (playwright-core, never a downloaded browser): launches a
// persistent context in a fresh profile, collects console errors, uncaught page errors, crashed
// pages and failed requests, and offers the few user actions the tests need (open files through
// the file input, drop files on the window, wait for the graph, switch the centre between the
// Pipeline and Model graph tabs, take a screenshot). Two React Flow canvases share the page (the
// pipeline editor and the model graph): scope any `.react-flow__…` selector to one of them.
//
//   const studio = await launchStudio();
//   await studio.waitForModel('fashion-cnn.onnx');
//   ...
//   studio.assertNoUnexpectedProblems();   // in afterEach
//   await studio.close();                  // in afterAll
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags this machine's Chromium needs (see TOOLCHAIN.md); no --user-data-dir, playwright sets it. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Waits are long on purpose: two cores, a cold browser, ONNX Runtime's wasm. Never a timing test. */
export const WAIT_MS = 120_000;

export const SCREENSHOT_DIR = fileURLToPath(new URL('../screenshots/', import.meta.url));

const SEL = {
  modelName: '[data-testid="model-name"]',
  graphView: '[data-testid="graph-view"]',
  graphNode: '[data-testid="graph-node"]',
  fileInput: 'input[data-testid="open-file-input"]',
  errorBanner: '[data-testid="error-banner"]',
  runtimeBadge: '[data-testid="runtime-badge"]',
  modelGraphTab: '[data-testid="center-tab-model"]',
  pipelineTab: '[data-testid="center-tab-pipeline"]',
  centerView: '[data-testid="center-view"]',
} as const;
export { SEL as selectors };

/** A file as the user's machine holds it: a name and its bytes. */
export interface StudioFile {
  name: string;
  bytes: Uint8Array;
}

/** What the page shows right now, for assertions and for readable timeout messages. */
export interface StudioState {
  modelName: string | null;
  graphStatus: string | null;
  nodeCount: number | null;
  error: string | null;
  runtimeBackend: string | null;
  runtimeThreads: string | null;
}

export class Studio {
  private readonly problems: string[] = [];
  private readonly allowed: RegExp[] = [];

  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly url: string,
    private readonly profileDir: string,
  ) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location();
      const at = where.url ? ` (${where.url}:${where.lineNumber})` : '';
      this.problems.push(`console error: ${message.text()}${at}`);
    });
    page.on('pageerror', (error) => this.problems.push(`uncaught page error: ${error.stack ?? error.message}`));
    page.on('crash', () => this.problems.push('the page crashed'));
    page.on('requestfailed', (request) => {
      this.problems.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) this.problems.push(`HTTP ${response.status()} for ${response.url()}`);
    });
  }

  /** Lets problems matching the pattern pass until the next check (e.g. a deliberately bad file). */
  allowProblems(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  /** Problems collected since the last check that no allowance covers; clears both lists. */
  takeUnexpectedProblems(): string[] {
    const unexpected = this.problems.filter((p) => !this.allowed.some((pattern) => pattern.test(p)));
    this.problems.length = 0;
    this.allowed.length = 0;
    return unexpected;
  }

  /** Throws when the page logged an error, threw, crashed or failed a request that nobody expected. */
  assertNoUnexpectedProblems(): void {
    const unexpected = this.takeUnexpectedProblems();
    if (unexpected.length > 0) throw new Error(`the page reported unexpected problems:\n  ${unexpected.join('\n  ')}`);
  }

  async state(): Promise<StudioState> {
    return this.page.evaluate((sel) => {
      const view = document.querySelector<HTMLElement>(sel.graphView);
      const badge = document.querySelector<HTMLElement>(sel.runtimeBadge);
      const count = view?.dataset.nodeCount;
      return {
        modelName: document.querySelector(sel.modelName)?.textContent ?? null,
        graphStatus: view?.dataset.graphStatus ?? null,
        nodeCount: count === undefined ? null : Number(count),
        error: document.querySelector(sel.errorBanner)?.textContent ?? null,
        runtimeBackend: badge?.dataset.backend ?? null,
        runtimeThreads: badge?.dataset.threads ?? null,
      };
    }, SEL);
  }

  /** Polls the page until `done(state)` holds; a timeout says what the page showed instead. */
  async waitUntil(what: string, done: (state: StudioState) => boolean, timeoutMs = WAIT_MS): Promise<StudioState> {
    const deadline = Date.now() + timeoutMs;
    let last: StudioState | null = null;
    while (Date.now() < deadline) {
      last = await this.state();
      if (done(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the page shows ${JSON.stringify(last)}; problems so far: ${JSON.stringify(this.problems)}`);
  }

  /** Waits until the named model is open and its graph is laid out and drawn. */
  async waitForModel(fileName: string): Promise<StudioState> {
    return this.waitUntil(`'${fileName}' to be open with its graph ready`, (s) => s.modelName === fileName && s.graphStatus === 'ready');
  }

  /** Waits until the error banner shows a message containing `text`. */
  async waitForError(text: string): Promise<StudioState> {
    return this.waitUntil(`an error banner containing ${JSON.stringify(text)}`, (s) => s.error?.includes(text) === true);
  }

  /** Waits until ONNX Runtime has finished probing the open model (badge no longer pending). */
  async waitForRuntime(): Promise<StudioState> {
    return this.waitUntil('the runtime badge to settle', (s) => s.runtimeBackend !== null && s.runtimeBackend !== 'pending');
  }

  /**
   * Waits for the current probe to finish, then records every backend the runtime badge shows from
   * now on, so a later wait can tell a new probe's result from the previous model's badge.
   */
  async recordRuntimeBadge(): Promise<void> {
    // A probe still running for the previous model would otherwise read as the new model's.
    await this.waitForRuntime();
    await this.page.evaluate((selector) => {
      const record = window as unknown as { whittleBadgeHistory?: string[] };
      const history: string[] = [];
      record.whittleBadgeHistory = history;
      const badge = document.querySelector<HTMLElement>(selector);
      if (!badge) throw new Error('no runtime badge');
      new MutationObserver(() => history.push(badge.dataset.backend ?? '')).observe(badge, { attributes: true, attributeFilter: ['data-backend'] });
    }, SEL.runtimeBadge);
  }

  /** Waits until, since recordRuntimeBadge(), a probe started (pending) and then settled. */
  async waitForNewRuntimeResult(): Promise<StudioState> {
    const settled = async () =>
      this.page.evaluate(() => {
        const history = (window as unknown as { whittleBadgeHistory?: string[] }).whittleBadgeHistory ?? [];
        const started = history.indexOf('pending');
        return started >= 0 && history.slice(started).some((b) => b !== 'pending');
      });
    const deadline = Date.now() + WAIT_MS;
    while (!(await settled())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for a new runtime result; the page shows ${JSON.stringify(await this.state())}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return this.waitForRuntime();
  }

  /** Chooses files in the Open dialog's input, as a user selecting them (several at once) would. */
  async openFiles(paths: string[]): Promise<void> {
    await this.page.setInputFiles(SEL.fileInput, paths);
  }

  /**
   * Drops files on the window: builds File objects and a DataTransfer in the page from the bytes,
   * then dispatches real dragenter, dragover and drop events, as the browser does for a user's drag.
   * Returns whether the page called preventDefault on dragover and drop (it must, or the browser
   * would navigate to the file).
   */
  async dropFiles(files: StudioFile[], options: { screenshotWhileDragging?: string } = {}): Promise<{ dragoverPrevented: boolean; dropPrevented: boolean; overlayShown: boolean }> {
    const payload = files.map((f) => ({ name: f.name, base64: Buffer.from(f.bytes).toString('base64') }));
    type DragWindow = Window & { whittleDrag?: { transfer: DataTransfer; target: Element } };
    const { dragoverPrevented, overlayShown } = await this.page.evaluate(async (items) => {
      const transfer = new DataTransfer();
      for (const item of items) {
        const binary = atob(item.base64);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        transfer.items.add(new File([bytes], item.name, { type: 'application/octet-stream' }));
      }
      const target = document.elementFromPoint(window.innerWidth / 2, window.innerHeight / 2) ?? document.body;
      (window as DragWindow).whittleDrag = { transfer, target };
      const init = { bubbles: true, cancelable: true, composed: true, dataTransfer: transfer, clientX: window.innerWidth / 2, clientY: window.innerHeight / 2 };
      target.dispatchEvent(new DragEvent('dragenter', init));
      const over = new DragEvent('dragover', init);
      target.dispatchEvent(over);
      // Let React show the drop overlay, as it would while the user's pointer hovers.
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      return { dragoverPrevented: over.defaultPrevented, overlayShown: document.querySelector('[data-testid="drop-overlay"]') !== null };
    }, payload);
    if (options.screenshotWhileDragging) await this.screenshot(options.screenshotWhileDragging);
    const dropPrevented = await this.page.evaluate(() => {
      const { transfer, target } = (window as DragWindow).whittleDrag!;
      delete (window as DragWindow).whittleDrag;
      const drop = new DragEvent('drop', { bubbles: true, cancelable: true, composed: true, dataTransfer: transfer, clientX: window.innerWidth / 2, clientY: window.innerHeight / 2 });
      target.dispatchEvent(drop);
      return drop.defaultPrevented;
    });
    return { dragoverPrevented, dropPrevented, overlayShown };
  }

  /** Clicks the centre's "Model graph" tab, as a user does, and waits until the graph is the shown view. */
  async showModelGraph(): Promise<void> {
    await this.showCenterView('model', SEL.modelGraphTab);
  }

  /** Clicks the centre's "Pipeline" tab and waits until the pipeline editor is the shown view. */
  async showPipeline(): Promise<void> {
    await this.showCenterView('pipeline', SEL.pipelineTab);
  }

  private async showCenterView(view: 'model' | 'pipeline', tab: string): Promise<void> {
    await this.page.locator(tab).click();
    await this.page.waitForSelector(`${SEL.centerView}[data-view="${view}"]`, { timeout: WAIT_MS });
  }

  /**
   * Shows the Model graph tab and clicks its React Flow fit-view control, so every operator node is on
   * screen (and therefore in the DOM). Scoped to the graph: the pipeline canvas has its own controls.
   */
  async fitView(): Promise<void> {
    await this.showModelGraph();
    await this.page.locator(`${SEL.graphView} .react-flow__controls-fitview`).click();
    // The fit is animated over a few frames at most; wait for two frames after it settles.
    await this.page.waitForTimeout(500);
    await this.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }

  /** Saves a full-window screenshot to e2e/screenshots/NAME.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await rm(this.profileDir, { recursive: true, force: true });
  }
}

/** Starts Chromium on a fresh profile and opens the studio (which loads its bundled sample). */
export interface LaunchOptions {
  /** Appended to the studio's URL, e.g. "?backend=webgpu". */
  search?: string;
  /** Runs before the studio's page is first loaded (e.g. to route or block requests). */
  beforeLoad?: (studio: Studio) => Promise<void>;
}

export async function launchStudio(options: LaunchOptions = {}): Promise<Studio> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH); .ci/run does this`);
  }
  const profileDir = await mkdtemp(join(tmpdir(), 'whittle-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const url = `${inject('studioUrl')}${options.search ?? ''}`;
  const studio = new Studio(context, page, url, profileDir);
  try {
    await options.beforeLoad?.(studio);
    await page.goto(url, { waitUntil: 'load', timeout: WAIT_MS });
  } catch (error) {
    await studio.close();
    throw error;
  }
  return studio;
}
