// Sentry's DSN: `<scheme>://<publicKey>@<host>[:port][/path]/<projectId>`, from PUBLIC_URL. An SDK posts to
// `<scheme>://<host>[:port][/path]/api/<projectId>/envelope/`.
export function buildDsn(publicUrl: string, publicKey: string, projectId: number): string {
  const url = new URL(publicUrl);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${publicKey}@${url.host}${path}/${projectId}`;
}
