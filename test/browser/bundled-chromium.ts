// The headless Chromium shipped inside the @sparticuz/chromium devDependency, unpacked once into a
// private, versioned folder (node_modules/.cache/amani-chromium/<version>) rather than os.tmpdir():
// the package reuses whatever an earlier unpack left in its directory, and files of another
// version there make the launch fail ("Target page, context or browser has been closed").
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createBrotliDecompress } from 'node:zlib';

export interface BundledChromium {
  version: string;
  executablePath: string;
  args: string[];
  env: Record<string, string>;
}

// Its flags are meant for serverless screenshots; these three would switch off the same-origin
// policy, mixed-content blocking and site isolation, which the browser tests rely on.
const WEAKENING = new Set(['--disable-web-security', '--allow-running-insecure-content', '--disable-site-isolation-trials']);

type Chromium = typeof import('@sparticuz/chromium').default;

/**
 * Calls `executablePath()` with os.tmpdir() pointing at `dir`. The package reads os.tmpdir()
 * synchronously before its first await (checked in 147.0.0), so TMPDIR is restored before any
 * other code runs; the returned path is checked so a change in that behaviour cannot go unseen.
 */
async function executablePathIn(chromium: Chromium, dir: string): Promise<string> {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  let pending: Promise<string>;
  try {
    pending = chromium.executablePath();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  const path = await pending;
  if (path !== join(dir, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${path}, not into ${dir}`);
  return path;
}

/** Unpacks a .tar.br archive with the system tar (the package's own unpacker is internal). */
async function untarBrotli(archive: string, into: string): Promise<void> {
  await mkdir(into, { recursive: true });
  // Through a file, not a pipe: tar exits at the end-of-archive marker, before reading the padding.
  const tarball = `${into}.tar`;
  await pipeline(createReadStream(archive), createBrotliDecompress(), createWriteStream(tarball));
  await promisify(execFile)('tar', ['-xf', tarball, '-C', into]);
  await rm(tarball);
}

// executablePath() unpacks the fonts into <dir>/fonts/fonts; the package's own fonts.conf there
// names Lambda's folders (/tmp/fonts, /opt/fonts), so it is not used.
const fontsConf = (dir: string) => `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${join(dir, 'fonts', 'fonts')}</dir>
  <cachedir>${join(dir, 'fonts-cache')}</cachedir>
</fontconfig>
`;

async function unpack(): Promise<BundledChromium> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`@sparticuz/chromium ships a Linux x64 binary only (this is ${process.platform}-${process.arch}): set CHROMIUM_PATH.`);
  }
  const { default: chromium } = await import('@sparticuz/chromium');
  // The package exports no package.json; its entry is <package>/build/cjs/index.cjs.
  const packageDir = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const root = join(packageDir, '..', '..', '.cache', 'amani-chromium');
  const dir = join(root, version);
  const libs = join(dir, 'al2023', 'lib');
  if (!existsSync(join(dir, '.complete'))) {
    // Test files run in parallel workers: each unpacks into its own folder and renames it into
    // place, so no worker ever starts a half-written binary.
    await mkdir(root, { recursive: true });
    const staging = await mkdtemp(join(root, `.${version}-`));
    try {
      await executablePathIn(chromium, staging);
      // NSS and NSPR built for the binary (its Amazon Linux libraries): the only shared libraries
      // it needs beyond libc and libgcc, which a machine without a system browser may lack.
      await untarBrotli(join(packageDir, 'bin', 'al2023.tar.br'), join(staging, 'al2023'));
      // Its fonts, and only those: a machine without fontconfig or fonts crashes the page on the
      // first text it lays out, and the same fonts everywhere render the same everywhere.
      await writeFile(join(staging, 'fonts.conf'), fontsConf(dir));
      await writeFile(join(staging, '.complete'), `${version}\n`);
      await rename(staging, dir).catch((error: unknown) => {
        if (!existsSync(join(dir, '.complete'))) throw error; // otherwise another worker won the race
      });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  const inherited = process.env.LD_LIBRARY_PATH;
  return {
    version,
    executablePath: await executablePathIn(chromium, dir),
    args: chromium.args.filter((arg) => !WEAKENING.has(arg)),
    env: { LD_LIBRARY_PATH: inherited ? `${libs}:${inherited}` : libs, FONTCONFIG_FILE: join(dir, 'fonts.conf') },
  };
}

let unpacked: Promise<BundledChromium> | undefined;

/** The bundled Chromium, unpacked on first use (1-2 s) and reused afterwards. */
export function bundledChromium(): Promise<BundledChromium> {
  return (unpacked ??= unpack().catch((error: unknown) => {
    unpacked = undefined;
    throw error;
  }));
}
