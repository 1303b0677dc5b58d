import type { LeadView } from '../../shared/index.ts';
import { reasonLine, stageLabel } from './format.ts';
import { topReasons } from './Reasons.tsx';

/** Plain text for a CRM note or a chat message. */
export function summary(view: LeadView, now = Date.now()): string {
  const { lead } = view;
  const score = lead.scores[0];
  const who = [lead.name, lead.emails[0] ? `<${lead.emails[0]}>` : undefined].filter(Boolean).join(' ');
  const lines = [who, [lead.jobTitle, lead.company?.name ?? lead.company?.domain].filter(Boolean).join(', ')];
  if (score) {
    lines.push(`Fit ${Math.round(score.fit.score)} (${score.fit.grade}), interest ${Math.round(score.interest.score)}`);
    lines.push(`${stageLabel(score.stage)}: ${score.stageReason}`);
    if (score.nextStep) lines.push(`→ ${score.nextStep}`);
    const { plus, minus } = topReasons(score);
    for (const r of [...plus, ...minus]) lines.push(`  ${reasonLine(r, now)}`);
  }
  return lines.filter((l) => l.trim()).join('\n');
}
