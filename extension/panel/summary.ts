import type { LeadView } from '../../shared/index.ts';
import { wordNextStep, wordStageReason } from '../../shared/scoring/wording.ts';
import { t, words } from '../i18n.ts';
import { num, points, reasonLine, reasonName, stageLabel } from './format.ts';
import { topReasons } from './Reasons.tsx';

/** Plain text for a CRM note or a chat message. */
export function summary(view: LeadView, now = Date.now()): string {
  const { lead } = view;
  const score = lead.scores[0];
  const who = [lead.name, lead.emails[0] ? `<${lead.emails[0]}>` : undefined].filter(Boolean).join(' ');
  const lines = [who, [lead.jobTitle, lead.company?.name ?? lead.company?.domain].filter(Boolean).join(', ')];
  if (score) {
    lines.push(t('summaryScores', [num(score.fit.score), score.fit.grade, num(score.interest.score)]));
    lines.push(`${stageLabel(score.stage)}: ${wordStageReason(score.stageReason, words)}`);
    if (score.nextStep) lines.push(`→ ${wordNextStep(score.nextStep, words)}`);
    const { plus, minus } = topReasons(score);
    for (const r of [...plus, ...minus]) lines.push(`  ${points(r.points)} ${reasonName(r)}: ${reasonLine(r, now)}`);
  }
  return lines.filter((l) => l.trim()).join('\n');
}
