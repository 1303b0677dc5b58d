import { createAdminApi } from '../admin-api.ts';
import { createApi } from '../background/api.ts';
import { readSettings } from '../settings.ts';

// The dashboard is an extension page, as trusted as the background: it reads the stored
// connection and calls the server itself (the host permission was granted in the options).

export async function connect() {
  const s = await readSettings();
  if (!s.serverUrl || !s.token) return undefined;
  const conn = { serverUrl: s.serverUrl, token: s.token };
  return { admin: createAdminApi(conn), read: createApi(conn) };
}
