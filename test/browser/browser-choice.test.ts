// The order in which the browser tests look for a browser: CHROMIUM_PATH, a system Chromium or
// Chrome, then the Chromium inside @sparticuz/chromium (Linux x64 only).
import { describe, expect, it } from 'vitest';
import { chooseBrowser, type ChoiceInput } from './browser-choice.ts';

const linux = (env: ChoiceInput['env'], present: string[], arch = 'x64'): ChoiceInput => ({
  env,
  platform: 'linux',
  arch,
  exists: (path) => present.includes(path),
});

const PATH = '/home/dev/bin:/opt/google/chrome:/usr/bin';

describe('chooseBrowser', () => {
  it('takes CHROMIUM_PATH first, even over a system browser', () => {
    const input = linux({ CHROMIUM_PATH: '/opt/my/chrome', PATH }, ['/opt/my/chrome', '/usr/bin/chromium']);
    expect(chooseBrowser(input)).toEqual({ source: 'CHROMIUM_PATH', path: '/opt/my/chrome' });
  });

  it('refuses a CHROMIUM_PATH that does not exist instead of quietly using another browser', () => {
    const input = linux({ CHROMIUM_PATH: '/opt/typo/chrome', PATH }, ['/usr/bin/chromium']);
    expect(() => chooseBrowser(input)).toThrow('CHROMIUM_PATH=/opt/typo/chrome is not an executable file');
  });

  it('treats an empty CHROMIUM_PATH as unset', () => {
    expect(chooseBrowser(linux({ CHROMIUM_PATH: '', PATH }, ['/usr/bin/chromium']))).toEqual({ source: 'system', path: '/usr/bin/chromium' });
  });

  it('prefers /usr/bin/chromium, then Chromium on PATH, then Chrome', () => {
    const everything = ['/usr/bin/chromium', '/home/dev/bin/chromium', '/opt/google/chrome/google-chrome'];
    expect(chooseBrowser(linux({ PATH }, everything))).toEqual({ source: 'system', path: '/usr/bin/chromium' });
    expect(chooseBrowser(linux({ PATH }, everything.slice(1)))).toEqual({ source: 'system', path: '/home/dev/bin/chromium' });
    expect(chooseBrowser(linux({ PATH }, everything.slice(2)))).toEqual({ source: 'system', path: '/opt/google/chrome/google-chrome' });
    expect(chooseBrowser(linux({ PATH }, ['/home/dev/bin/chromium-browser']))).toEqual({ source: 'system', path: '/home/dev/bin/chromium-browser' });
  });

  it('ignores relative PATH entries (a browser in the working directory is not a system browser)', () => {
    expect(chooseBrowser(linux({ PATH: 'bin:.' }, ['bin/chromium', './chromium']))).toEqual({ source: 'bundled' });
  });

  it('falls back to the bundled Chromium on Linux x64 when there is no other', () => {
    expect(chooseBrowser(linux({ PATH }, []))).toEqual({ source: 'bundled' });
    expect(chooseBrowser(linux({}, []))).toEqual({ source: 'bundled' });
  });

  it('names CHROMIUM_PATH where no bundled browser exists (Linux arm64, macOS, Windows)', () => {
    expect(() => chooseBrowser(linux({ PATH }, [], 'arm64'))).toThrow(/Linux x64 only \(this is linux-arm64\).*set CHROMIUM_PATH/);
    const mac: ChoiceInput = { env: { PATH }, platform: 'darwin', arch: 'arm64', exists: () => false };
    expect(() => chooseBrowser(mac)).toThrow(/darwin-arm64.*CHROMIUM_PATH/);
    expect(() => chooseBrowser({ ...mac, platform: 'win32', arch: 'x64' })).toThrow(/win32-x64.*CHROMIUM_PATH/);
  });

  it('finds Chrome in /Applications on macOS', () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    const mac: ChoiceInput = { env: { PATH: '/usr/bin' }, platform: 'darwin', arch: 'arm64', exists: (path) => path === chrome };
    expect(chooseBrowser(mac)).toEqual({ source: 'system', path: chrome });
  });
});
