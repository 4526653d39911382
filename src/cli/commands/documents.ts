// amani documents upload|list|get|approve|reject|archive|restore|delete
import type { Command } from 'commander';
import type { AmaniClient } from '../../client.ts';
import { requireDocumentType, requireUuid } from '../../core/validate.ts';
import type { Document } from '../../types.ts';
import type { CliIo } from '../io.ts';
import { sendsHelp, type OperationId } from '../operation-help.ts';
import { callApi, checked } from '../kit.ts';
import { formatList, formatRecord, type Column } from '../output.ts';

const uuid = (field: string) => checked((value) => requireUuid(field, value));

/** A document as a table: its pages as a count (their URLs are in --json). */
const showDocument = (document: Document) =>
  formatRecord({ ...document, pages: document.pages?.length ?? 0 }, ['id', 'profile_id', 'type', 'status', 'archived', 'reject_reason', 'pages', 'created_at', 'updated_at']);

const DOCUMENT_COLUMNS: Column<Document>[] = [
  ['id', (d) => d.id],
  ['type', (d) => d.type],
  ['status', (d) => d.status],
  ['archived', (d) => d.archived],
  ['pages', (d) => d.pages?.length ?? 0],
  ['updated_at', (d) => d.updated_at],
];

export function registerDocuments(program: Command, io: CliIo): void {
  const documents = program.command('documents').description("upload and review a profile's identity documents");

  documents
    .command('upload')
    .description('upload one document: its page files in order (front, back, then selfie); JPEG, PNG, BMP, WebP or PDF')
    .requiredOption('--profile <id>', 'profile id (uuid)', uuid('profile'))
    .requiredOption('--type <code>', 'document type code, e.g. TUR_ID_1 (ID card), XXX_SE_0 (selfie)', checked((v) => requireDocumentType('type', v)))
    .option('--cropped', 'the pages are already cropped to the document')
    .option('--rotated', 'the pages are already rotated upright')
    .argument('<pages...>', 'page files, e.g. front.jpg back.jpg')
    .addHelpText('after', '\nNot retried once sent: after a timeout, run `amani documents list --profile <id>` before uploading again.')
    .addHelpText('after', sendsHelp('uploadDocument'))
    .action(async (pages: string[], options: { profile: string; type: string; cropped?: true; rotated?: true }, command: Command) => {
      await callApi(io, command, {
        progress: `Uploading ${pages.length} page${pages.length === 1 ? '' : 's'}`,
        request: (client) =>
          client.documents.upload({
            profile: options.profile,
            type: options.type,
            pages,
            ...(options.cropped ? { cropped: true } : {}),
            ...(options.rotated ? { rotated: true } : {}),
          }),
        table: showDocument,
      });
    });

  documents
    .command('list')
    .description('list the documents of a profile')
    .addHelpText('after', sendsHelp('listDocuments'))
    .requiredOption('--profile <id>', 'profile id (uuid)', uuid('profile'))
    .action(async (options: { profile: string }, command: Command) => {
      await callApi(io, command, {
        progress: 'Listing documents',
        request: (client) => client.documents.list(options.profile),
        table: (list) => formatList(list, DOCUMENT_COLUMNS),
      });
    });

  const byId = (name: string, description: string, progress: string, operation: OperationId, request: (client: AmaniClient, id: string) => Promise<Document>) =>
    documents
      .command(name)
      .description(description)
      .argument('<id>', 'document id (uuid)', uuid('id'))
      .addHelpText('after', sendsHelp(operation))
      .action(async (id: string, _options, command: Command) => {
        await callApi(io, command, { progress, request: (client) => request(client, id), table: showDocument });
      });

  byId('get', 'show a document', 'Fetching the document', 'getDocument', (client, id) => client.documents.get(id));
  byId('approve', 'approve a document', 'Approving the document', 'updateDocument', (client, id) => client.documents.approve(id));
  byId('archive', 'archive a document', 'Archiving the document', 'updateDocument', (client, id) => client.documents.archive(id));
  byId('restore', 'restore an archived document', 'Restoring the document', 'updateDocument', (client, id) => client.documents.restore(id));

  documents
    .command('reject')
    .description('reject a document')
    .argument('<id>', 'document id (uuid)', uuid('id'))
    .option('--reason <text>', 'why, shown to reviewers')
    .addHelpText('after', sendsHelp('updateDocument'))
    .action(async (id: string, options: { reason?: string }, command: Command) => {
      await callApi(io, command, {
        progress: 'Rejecting the document',
        request: (client) => client.documents.reject(id, options.reason),
        table: showDocument,
      });
    });

  documents
    .command('delete')
    .description('delete a document')
    .argument('<id>', 'document id (uuid)', uuid('id'))
    .addHelpText('after', sendsHelp('deleteDocument'))
    .action(async (id: string, _options, command: Command) => {
      await callApi(io, command, { progress: 'Deleting the document', request: (client) => client.documents.delete(id), done: `Deleted document ${id}` });
    });
}
