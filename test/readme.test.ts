// README.md is read on the npm page and as the landing page of the TypeDoc reference, where a
// relative link leads nowhere: every link is absolute, those into this repository (under the
// `repository` address in package.json) name a file or directory that exists here, and every
// in-page anchor is a heading's, with the same id on GitHub/npm and in TypeDoc.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { repository: { url: string } };
/** https://github.com/owner/name, from package.json's `git+https://github.com/owner/name.git`. */
const repository = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const readme = readFileSync(`${root}README.md`, 'utf8');

/** The README without fenced code blocks, and for links without code spans: there `[a](b)` is text. */
const prose = readme.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
const headings = [...prose.matchAll(/^#{1,6} (.+)$/gm)].map((match) => match[1]!);
const text = prose.replace(/`[^`\n]*`/g, '');
const links = [
  ...[...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!), // [text](url)
  ...[...text.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((match) => match[1]!), // [ref]: url
  ...[...text.matchAll(/\bhref="([^"]+)"/g)].map((match) => match[1]!), // <a href="url">
];

/** A heading's visible text: code spans and emphasis keep their words, links their text. */
const visible = (heading: string) => heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*_]/g, '');
/** The id GitHub (and npm) give a heading. */
const githubId = (heading: string) =>
  visible(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
/** The id TypeDoc gives a heading of a Markdown page (its Slugger, typedoc 0.28; code spans left out). */
const typedocId = (heading: string) =>
  visible(heading.replace(/`[^`]*`/g, ''))
    .trim()
    .replace(/[\u2000-\u206F\u2E00-\u2E7F\\'!"#$%&()*+,./:;<=>?@[\]^`{|}~]/g, '')
    .replace(/\s/g, '-')
    .replace(/--+/, '-')
    .toLowerCase();

describe('README.md links', () => {
  it('finds the links and headings it checks', () => {
    expect(links.length).toBeGreaterThan(20);
    expect(headings).toContain('Contents');
  });

  it('has no relative link: each has a scheme or is an in-page anchor', () => {
    expect(links.filter((link) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(link))).toEqual([]);
  });

  it("links into the repository only under package.json's repository address", () => {
    const elsewhere = links.filter((link) => /^https:\/\/github\.com\/[^/]+\/[^/]+\/(blob|tree)\//.test(link) && !link.startsWith(`${repository}/`));
    expect(elsewhere).toEqual([]);
  });

  it('every link into the repository names a file (blob) or directory (tree) that exists on main', () => {
    const own = links.filter((link) => link.startsWith(`${repository}/`));
    expect(own.length).toBeGreaterThanOrEqual(5);
    const broken = own.filter((link) => {
      const match = link.match(/^[^#]+?\/(blob|tree)\/main\/([^#?]+)$/);
      if (!match) return true;
      const path = `${root}${decodeURIComponent(match[2]!)}`;
      return !existsSync(path) || statSync(path).isDirectory() !== (match[1] === 'tree');
    });
    expect(broken).toEqual([]);
  });

  it('every in-page anchor is the id of a heading, the same on GitHub, npm and in TypeDoc', () => {
    const anchors = links.filter((link) => link.startsWith('#')).map((link) => link.slice(1));
    expect(anchors.length).toBeGreaterThanOrEqual(20);
    const ids = new Map(headings.map((heading) => [githubId(heading), heading]));
    expect(anchors.filter((anchor) => !ids.has(anchor))).toEqual([]);
    // An anchor links to the first heading with its id; a second one would get a suffix.
    expect(headings.map(githubId).filter((id, i, all) => all.indexOf(id) !== i)).toEqual([]);
    const differing = anchors.filter((anchor) => typedocId(ids.get(anchor)!) !== anchor);
    expect(differing).toEqual([]);
  });
});
