// Which browser the browser tests drive, as a pure function of the environment so the order is
// testable: CHROMIUM_PATH, then a system Chromium or Chrome, then the Chromium inside the
// @sparticuz/chromium devDependency (Linux x64 only), so `npm ci && npm test` needs no apt-get.

export type BrowserChoice =
  | { source: 'CHROMIUM_PATH' | 'system'; path: string }
  | { source: 'bundled' };

export interface ChoiceInput {
  env: Record<string, string | undefined>;
  platform: string;
  arch: string;
  /** True when `path` is an executable file. */
  exists(path: string): boolean;
}

// Debian/Ubuntu and Google's packages install under these names; macOS keeps apps outside PATH.
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const MAC_APPS = [
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** Where a system browser may be, in the order it is looked for. */
export function systemCandidates({ env, platform }: Pick<ChoiceInput, 'env' | 'platform'>): string[] {
  if (platform === 'darwin') return MAC_APPS;
  if (platform === 'win32') return []; // PATHEXT lookups are not worth it: set CHROMIUM_PATH there.
  const dirs = ['/usr/bin', ...(env.PATH ?? '').split(':').filter((dir) => dir.startsWith('/'))];
  const candidates = NAMES.flatMap((name) => dirs.map((dir) => `${dir}/${name}`));
  return [...new Set(candidates)];
}

export function chooseBrowser(input: ChoiceInput): BrowserChoice {
  const configured = input.env.CHROMIUM_PATH;
  if (configured) {
    // An explicit choice that does not exist is a mistake to report, not a reason to fall back.
    if (!input.exists(configured)) {
      throw new Error(`CHROMIUM_PATH=${configured} is not an executable file. Point it at a Chromium or Chrome binary, or unset it.`);
    }
    return { source: 'CHROMIUM_PATH', path: configured };
  }
  const system = systemCandidates(input).find((path) => input.exists(path));
  if (system) return { source: 'system', path: system };
  if (input.platform === 'linux' && input.arch === 'x64') return { source: 'bundled' };
  throw new Error(
    `No Chromium or Chrome found for the browser tests, and the bundled @sparticuz/chromium runs on Linux x64 only ` +
      `(this is ${input.platform}-${input.arch}). Install Chromium or Chrome, or set CHROMIUM_PATH to its executable.`,
  );
}
