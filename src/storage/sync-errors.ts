/** Fields of a Node or PostgreSQL error this module reads. */
interface ErrorLike {
  code?: string;
  message?: string;
}

/**
 * A sync failure in words a clinician can act on: what happened, and that nothing recorded here is lost
 * (the outbox keeps every unsent change). `server` names the server as `host:port`.
 */
export function describeSyncError(err: unknown, server: string, role: string): string {
  const e = (err ?? {}) as ErrorLike;
  const kept = 'Nothing recorded here is lost; unsent changes are kept and sent at the next sync.';
  const code = e.code ?? '';
  const message = e.message ?? String(err);
  if (code === 'ECONNREFUSED') return `The server ${server} is not answering (connection refused). ${kept}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `The server name in ${server} cannot be found. ${kept}`;
  if (code === 'ETIMEDOUT' || /timeout/i.test(message))
    return `The server ${server} did not answer in time. ${kept}`;
  if (
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    /terminat|shut ?down|ECONNRESET|closed/i.test(`${code} ${message}`)
  )
    return `The server ${server} stopped during the sync. ${kept}`;
  if (code === '28P01' || code === '28000')
    return `The server ${server} refused the login of role "${role}". ${kept}`;
  if (/certificate|self[- ]signed|altnames|CERT_|DEPTH_ZERO/i.test(`${code} ${message}`))
    return `The server ${server} could not be verified as itself (TLS certificate: ${message}). Nothing was sent. ${kept}`;
  if (code === '42501')
    return `The role "${role}" is not allowed to do this on ${server}: ${message}. ${kept}`;
  if (code === '42P01' || code === '3F000')
    return `The server ${server} has no Tonus schema yet: run "tonus server init" there first. ${kept}`;
  if (code === '42703')
    return `The server ${server} has an older Tonus schema than this workstation: run "tonus server migrate" there. ${kept}`;
  return `The sync with ${server} failed: ${message}. ${kept}`;
}
