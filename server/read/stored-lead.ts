import type { z } from 'zod';
import { Feedback, Lead, LeadProfile, Outcome } from '../../shared/contracts/lead.ts';
import { ScoreState, STATE_VERSION } from '../../shared/contracts/score-state.ts';
import type { LeadFacts } from '../../shared/scoring/index.ts';
import { tryDecodeStored } from '../db/stored-json.ts';

// The JSON a lead read takes from `leads` and `lead_scores`, decoded through the shared
// contracts instead of cast. A value the contract refuses (a row written by hand, a contract
// that has since narrowed) reads as absent, the way db/event-rows.ts leaves out an event it
// cannot decode: an empty profile, no feedback, no stored state (so the score is rebuilt from
// the history). One bad row must not turn a rep's lookup into an error.
//
// Only what the read returns is decoded: an account member needs a name, a job title and the
// decaying sums of its state, not its whole profile and every rule's state. zod walks the
// fields of its schema only, so the narrow schemas below cost a fraction of the full ones.

/**
 * `text` decoded through `schema` (db/stored-json.ts, the one stored-JSON decoder); undefined
 * when it is missing, not JSON or refused. The reason is dropped on purpose: see above.
 */
export function decodedOrAbsent<S extends z.ZodType>(schema: S, text: string | null | undefined): z.infer<S> | undefined {
  if (text === null || text === undefined) return undefined;
  const decoded = tryDecodeStored(schema, text, LEAD_READ);
  return decoded.ok ? decoded.value : undefined;
}

/** The place a refusal would name; a lead read never reports it (it reads the value as absent). */
const LEAD_READ = { table: 'leads', column: '(a lead read)', row: '(not reported)' };

type FactsRow = { profile: string; feedback: string | null; outcome: string | null };

/** What fit rules and the stage read of a lead row. */
export function storedFacts(row: FactsRow): LeadFacts {
  return { profile: decodedOrAbsent(LeadProfile, row.profile) ?? {}, feedback: decodedOrAbsent(Feedback, row.feedback), outcome: decodedOrAbsent(Outcome, row.outcome) };
}

const Emails = Lead.shape.emails;

/** The lead's addresses, primary first. */
export function storedEmails(text: string): string[] {
  return decodedOrAbsent(Emails, text) ?? [];
}

/** A stored score state of this engine's version, whole (a read shows its reasons); undefined otherwise. */
export function storedScoreState(text: string): ScoreState | undefined {
  return decodedOrAbsent(ScoreState, text);
}

/** What an account member shows of its profile. */
export const MemberProfile = LeadProfile.pick({ name: true, jobTitle: true, company: true });

/** What `interestAt` reads of a state: the decaying and steady sums. */
export const InterestSums = ScoreState.pick({ v: true, decaying: true, decayingAt: true, steady: true });
export type InterestSums = z.infer<typeof InterestSums>;

/** The interest sums of a stored state of this engine's version; undefined otherwise. */
export function storedInterestSums(text: string | null): InterestSums | undefined {
  const sums = decodedOrAbsent(InterestSums, text);
  return sums?.v === STATE_VERSION ? sums : undefined;
}
