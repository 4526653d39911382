// Runs in the customer's browser. It holds only a profile token, which reaches one profile: it can
// upload that profile's documents and read them back, and nothing else in the company account.
import { AmaniClient } from '../../src/index.ts';

interface Session {
  apiBaseUrl: string;
  profileId: string;
  profileToken: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>('status');
const result = $<HTMLParagraphElement>('result');
const uploadButton = $<HTMLButtonElement>('upload');
const fileInput = $<HTMLInputElement>('selfie');
const preview = $<HTMLCanvasElement>('preview');

/** A stand-in selfie drawn on a canvas, for trying the flow without a camera or a photo. */
async function generatedSelfie(): Promise<Blob> {
  const ctx = preview.getContext('2d')!;
  ctx.fillStyle = '#dfe7ef';
  ctx.fillRect(0, 0, preview.width, preview.height);
  ctx.fillStyle = '#c98b5e';
  ctx.beginPath();
  ctx.arc(preview.width / 2, preview.height / 2, preview.width / 3, 0, Math.PI * 2);
  ctx.fill();
  return new Promise((resolve, reject) => preview.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas gave no image'))), 'image/jpeg', 0.9));
}

async function main(): Promise<void> {
  // Your server decides which profile this visitor may verify and hands out that profile's token.
  const response = await fetch('/session', { method: 'POST' });
  if (!response.ok) throw new Error(`could not start a session (${response.status})`);
  const session = (await response.json()) as Session;
  const customer = new AmaniClient({ baseUrl: session.apiBaseUrl }).forProfile(session.profileToken);
  status.textContent = `Verifying profile ${session.profileId}`;
  uploadButton.disabled = false;

  uploadButton.addEventListener('click', async () => {
    uploadButton.disabled = true;
    result.textContent = 'Uploading...';
    try {
      const selfie = fileInput.files?.[0] ?? (await generatedSelfie());
      // The profile id comes from the token; the page type is read from the bytes.
      const uploaded = await customer.documents.upload({ type: 'XXX_SE_0', pages: [selfie] });
      const document = await customer.documents.get(uploaded.id);
      result.dataset.documentId = document.id;
      result.dataset.status = document.status;
      result.textContent = `Document ${document.id} (${document.type}): ${document.status}`;
    } catch (error) {
      // AmaniClient's messages name the problem and never contain the token.
      result.dataset.error = (error as Error).name;
      result.textContent = `Upload failed: ${(error as Error).message}`;
    } finally {
      uploadButton.disabled = false;
    }
  });
}

main().catch((error: Error) => {
  status.textContent = `Could not start: ${error.message}`;
});
