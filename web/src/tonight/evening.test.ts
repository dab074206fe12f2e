import { describe, expect, it } from 'vitest';
import { nextVote, shareUrl, voteSummary, type Pick } from './evening';

const pick = (votes: [string, 'YES' | 'NO' | 'SEEN'][]): Pick =>
  ({
    match: false,
    myVote: null,
    votes: votes.map(([name, vote]) => ({ vote, member: { name, user: { id: name } } })),
    recommendation: {} as Pick['recommendation'],
  }) as Pick;

describe('Tonight helpers', () => {
  it('says who voted what, in order', () => {
    expect(voteSummary(pick([]))).toBe('');
    expect(voteSummary(pick([['Ana', 'YES'], ['Sam', 'SEEN']]))).toBe('Ana: yes · Sam: seen it');
  });
  it('takes a vote back when it is pressed again', () => {
    expect(nextVote(null, 'YES')).toBe('YES');
    expect(nextVote('NO', 'YES')).toBe('YES');
    expect(nextVote('YES', 'YES')).toBeNull();
  });
  it('builds the share link on this site', () => {
    expect(shareUrl('/join/abc', 'https://movierec.example')).toBe('https://movierec.example/join/abc');
  });
});
