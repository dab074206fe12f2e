/** Plain helpers of Tonight's screens (tested in evening.test.ts). */
import type { EveningFieldsFragment, EveningVote } from '../gql/graphql';

export const MAX_MEMBERS = 8;
/** How many films a guest rates on joining, so the evening knows their taste. */
export const GUEST_QUICK_RATINGS = 5;

export type Pick = EveningFieldsFragment['picks'][number];

export const VOTE_LABEL: Record<EveningVote, string> = { YES: 'Yes', NO: 'No', SEEN: 'Seen it' };

/** "Ana: yes · Sam: seen it", in the members' order; empty when nobody voted. */
export function voteSummary(pick: Pick): string {
  return pick.votes.map((v) => `${v.member.name}: ${VOTE_LABEL[v.vote].toLowerCase()}`).join(' · ');
}

/** The vote to send when `vote` is pressed: pressing one's current vote takes it back (null). */
export function nextVote(current: EveningVote | null | undefined, pressed: EveningVote): EveningVote | null {
  return current === pressed ? null : pressed;
}

/** The share link for the evening on this site. */
export function shareUrl(joinPath: string, origin: string = window.location.origin): string {
  return `${origin}${joinPath}`;
}
