import type { Problem } from '../../shared/contracts/messages.ts';
import { t, type MessageKey } from '../i18n.ts';
import type { Refusal, Status } from './machine.ts';

// The status line and refusals in the marketer's language (en, nl, sv).

const PROBLEM_TEXT = {
  'not-configured': 'taggingProblemNotConfigured',
  unauthorized: 'taggingProblemUnauthorized',
  unreachable: 'taggingProblemUnreachable',
  'not-found': 'taggingProblemNotFound',
  invalid: 'taggingProblemInvalid',
} as const satisfies Record<Problem, MessageKey>;

/** Why the background said no: the problem, then the server's message and details. */
export const refusalText = (r: Refusal): string => [t(PROBLEM_TEXT[r.problem]), r.message, ...(r.details ?? [])].filter(Boolean).join(' · ');

export function statusText(status: Status): string {
  switch (status.kind) {
    case 'none':
      return '';
    case 'saving':
      return t('taggingSaving');
    case 'publishing':
      return t('taggingPublishing');
    case 'published':
      return t('taggingPublished', [status.name, String(status.version)]);
    case 'load-failed':
      return t('taggingLoadFailed', [refusalText(status.refusal)]);
    case 'failed':
      return t('taggingFailed', [refusalText(status.refusal)]);
    case 'invalid':
      return status.text;
    case 'no-selector':
      return t('taggingNoSelector');
    case 'dashboard-failed':
      return t('taggingDashboardFailed', [refusalText(status.refusal)]);
  }
}
