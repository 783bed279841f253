import { RECENT_SESSIONS_CSV } from '../views/home.sections';
import { csvOf } from './csv-download';

describe('CSV written in the browser', () => {
  const row = {
    id: 's1',
    user: '@erin',
    project: '/w/a,b',
    gitBranch: null,
    startedAt: '2026-01-05T08:30:00.000Z',
    endedAt: '2026-01-05T09:00:00.000Z',
    activeSeconds: 1800,
    wallSeconds: 1800,
    prompts: 3,
    toolCalls: 7,
    toolErrors: 1,
    primaryModel: '=HYPERLINK("x")',
    totalTokens: '9007199254740993',
    costUsd: 1.25,
    unpricedTokens: 0,
  };

  it('writes raw values under the columns\' headers, as the server\'s exports do', () => {
    expect(csvOf(RECENT_SESSIONS_CSV, [row])).toBe(
      'id,user,project,gitBranch,startedAt,endedAt,activeSeconds,wallSeconds,prompts,toolCalls,toolErrors,primaryModel,totalTokens,costUsd\r\n' +
        `s1,'@erin,"/w/a,b",,2026-01-05T08:30:00.000Z,2026-01-05T09:00:00.000Z,1800,1800,3,7,1,"'=HYPERLINK(""x"")",9007199254740993,1.25\r\n`,
    );
  });

  it('writes the header alone for no rows', () => {
    expect(csvOf([['a', (r: { a: number }) => r.a]], [])).toBe('a\r\n');
  });
});
