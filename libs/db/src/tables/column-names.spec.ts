import { TOKEN_FIELDS } from '@ccpulse/domain';
import { columnName, fromColumns, toColumns, type ColumnName } from './column-names';
import { TOKEN_COUNTER_COLUMNS, totalTokensSql } from './usage-columns';

describe('column names derived from field names', () => {
  it('writes a field in snake_case, a capital or a run of digits starting a word', () => {
    expect(columnName('prompts')).toBe('prompts');
    expect(columnName('toolCalls')).toBe('tool_calls');
    expect(columnName('cacheCreation5mTokens')).toBe('cache_creation_5m_tokens');
    expect(columnName('cacheCreation15mTokens')).toBe('cache_creation_15m_tokens');
    const typed: ColumnName<'cacheCreation1hTokens'> = 'cache_creation_1h_tokens';
    expect(columnName('cacheCreation1hTokens')).toBe(typed);
  });

  it('names the token counters as every usage table stores them', () => {
    expect(TOKEN_COUNTER_COLUMNS).toEqual([
      'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_creation_tokens', 'cache_creation_5m_tokens', 'cache_creation_1h_tokens',
    ]);
  });

  it("writes the domain's token total in SQL over the counter columns", () => {
    expect(totalTokensSql('b')).toBe('(b.input_tokens + b.output_tokens + b.cache_read_tokens + b.cache_creation_tokens)');
    expect(totalTokensSql()).toBe('(input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens)');
  });

  it('moves a list between field and column names, dropping what the list does not name', () => {
    const fields = { inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheCreationTokens: 4, cacheCreation5mTokens: 5, cacheCreation1hTokens: 6 };
    const sum = { ...fields, totalTokens: 21 };
    const row = toColumns(TOKEN_FIELDS, sum);
    expect(row).toEqual({ input_tokens: 1, output_tokens: 2, cache_read_tokens: 3, cache_creation_tokens: 4, cache_creation_5m_tokens: 5, cache_creation_1h_tokens: 6 });
    const stored = { ...row, total_tokens: 21 };
    expect(fromColumns(TOKEN_FIELDS, stored)).toEqual(fields);
  });
});
