// What `--help` of a command that calls the API ends with: the operation it sends and how well
// Amani's own sources show it (evidence level, source, discrepancies between sources), read from
// generated/evidence.ts, which `npm run generate` writes from the spec: the CLI keeps no list of
// its own.
import { DiscrepancyTopics, OperationEvidence } from '../../generated/evidence.ts';

export type OperationId = keyof typeof OperationEvidence;

/** One block per operation; `[id, when]` for one an option picks, e.g. `['regenerateWebhookSecret', 'with --regenerate']`. */
export function sendsHelp(...operations: Array<OperationId | [OperationId, string]>): string {
  const blocks = operations.map((entry) => {
    const [id, when] = typeof entry === 'string' ? [entry, undefined] : entry;
    const op = OperationEvidence[id];
    const lines = [`Sends${when ? ` (${when})` : ''}: ${op.method} ${op.path} (operationId ${id})`, `  Evidence: ${op.level}`];
    const source: { title: string; url: string } | null = op.source;
    if (source) lines.push(`  Source: ${source.title}, ${source.url}`);
    const ids: readonly (keyof typeof DiscrepancyTopics)[] = op.discrepancies;
    if (ids.length) lines.push(`  Discrepancies: ${ids.map((d) => `${d} ${DiscrepancyTopics[d].replaceAll('`', '')}`).join('; ')}`);
    return lines.join('\n');
  });
  return `\n${blocks.join('\n')}`;
}
