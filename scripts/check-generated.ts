// `npm run check:generated`: fails when generated/ is not exactly what the spec produces, naming the
// files, so a spec edit without `npm run generate` (or a hand edit of generated/) never lands.
import { diffGenerated } from './lib/pipeline.ts';
import { generatedDir } from './lib/paths.ts';

const problems = await diffGenerated(generatedDir);
if (problems.length) {
  console.error(problems.join('\n'));
  console.error('Run `npm run generate` and commit openapi/ and generated/ together.');
  process.exit(1);
}
console.log('generated/ is up to date');
