import roleAddresses from 'role-based-email-addresses';
import type { DropReason } from '../../shared/contracts/messages.ts';

// Addresses that are not a person: role mailboxes (`info@`, `sales@`, `notifications@`),
// mailing lists and groups, and automated senders. The role list is Mixmax's maintained
// `role-based-email-addresses` (about 1,000 local parts, MIT); lists and automation are
// recognised by their shape, which a role list cannot know.

const ROLES = new Set((roleAddresses as readonly string[]).map((r) => r.toLowerCase()));

/** Hosts of mailing-list and group services: every address on them is a list. */
const LIST_HOSTS = ['googlegroups.com', 'groups.io', 'freelists.org', 'lists.sourceforge.net', 'mailman.org', 'topica.com', 'yahoogroups.com'];
/** `lists.example.com`, `list.example.com`, `mailman.example.com`: a list server's own domain. */
const LIST_SUBDOMAIN = /^(lists?|mailman|listserv|sympa)\./;
/** `list-foo@`, `foo-list@`, `foo-l@` (LISTSERV), and request/owner addresses of a list. */
const LIST_LOCAL = /^(list-|lists?$)|-(list|l|request|owner|subscribe|unsubscribe|bounces)$|^owner-/;
/** No-reply and daemon senders, bounce (VERP) addresses, notification robots. */
const AUTOMATED_LOCAL =
  /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|mailer[-_.]?daemon|postmaster|bounces?|automated|auto[-_.]?confirm|notifications?|notify|alerts?|daemon)([-+_.].*)?$|^(bounce|bounces|return|srs[0-9])[-+=_.]|[+=](bounce|bounces)[-+=_.]?/;
/** Senders on a platform's bounce or notification subdomain (`bounce.example.com`, `em1234.example.com`). */
const AUTOMATED_HOST = /^(bounces?|bnc|mailer|em\d+|mail\d*\.notifications?|notifications?|noreply|no-reply)\./;

export function noiseReason(email: string): Extract<DropReason, 'role' | 'list' | 'automated'> | undefined {
  const at = email.lastIndexOf('@');
  if (at < 1) return undefined;
  const local = email.slice(0, at).toLowerCase();
  const host = email.slice(at + 1).toLowerCase();
  // Plus-addressing (`sales+eu@`) keeps the mailbox's nature.
  const base = local.split('+')[0] ?? local;
  if (LIST_HOSTS.some((h) => host === h || host.endsWith(`.${h}`)) || LIST_SUBDOMAIN.test(host) || LIST_LOCAL.test(base)) return 'list';
  if (AUTOMATED_LOCAL.test(local) || AUTOMATED_HOST.test(host)) return 'automated';
  if (ROLES.has(base)) return 'role';
  return undefined;
}
