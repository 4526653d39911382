// Where things live, resolved from this file so scripts work from any working directory.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const specRoot = join(root, 'openapi', 'openapi.yaml');
export const generatedDir = join(root, 'generated');
export const bundledSpec = join(generatedDir, 'openapi.json');
export const contractResults = join(root, '.contract-results', 'results.jsonl');
