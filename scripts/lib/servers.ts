// The URLs an OpenAPI server object stands for. A server may be a template (`https://{europe}.amani.ai`)
// whose variables list the values it takes, so the regions the client offers and the origins the
// explorer may call are read from the expansion, never from the template as written.

export interface ServerLike {
  url: string;
  variables?: Record<string, { default: string; enum?: string[] }>;
}

/** One URL per combination of the server's variable values (a variable without an enum: its default). */
export function serverUrls(server: ServerLike): string[] {
  let urls = [server.url];
  for (const [name, variable] of Object.entries(server.variables ?? {})) {
    const values = variable.enum ?? [variable.default];
    urls = urls.flatMap((url) => values.map((value) => url.replaceAll(`{${name}}`, value)));
  }
  return urls;
}

/** The origins of every URL the servers stand for, each once, in the servers' order. */
export function serverOrigins(servers: readonly ServerLike[]): string[] {
  return [...new Set(servers.flatMap(serverUrls).map((url) => new URL(url).origin))];
}
