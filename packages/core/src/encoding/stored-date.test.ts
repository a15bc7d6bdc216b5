import { describe, expect, it } from 'vitest';
import { parseUtcTimestamp, type StoredDate } from './stored-date.js';

describe('parseUtcTimestamp', () => {
  it.each([['2024-01-02 03:04:05.678+00'], ['2024-01-02T03:04:05.678+00:00'], ['2024-01-02T03:04:05.678Z']])(
    'reads %s as the instant it names',
    (text) => {
      const date = parseUtcTimestamp(text);
      expect(date).toBeInstanceOf(Date);
      expect(date?.getTime()).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
      expect(date?.toISOString()).toBe('2024-01-02T03:04:05.678Z');
      expect(JSON.stringify({ date })).toBe('{"date":"2024-01-02T03:04:05.678Z"}');
    },
  );

  it('agrees with Date on every millisecond field and the edges of the calendar', () => {
    for (const iso of [
      '1970-01-01T00:00:00.000Z',
      '0100-03-01T00:00:00.001Z',
      '1999-12-31T23:59:59.999Z',
      '2000-02-29T12:30:45.050Z',
      '9999-12-31T23:59:59.999Z',
    ]) {
      expect(parseUtcTimestamp(iso)?.getTime()).toBe(new Date(iso).getTime());
      expect(parseUtcTimestamp(`${iso.slice(0, 10)} ${iso.slice(11, 23)}+00`)?.toISOString()).toBe(iso);
    }
  });

  it.each([
    ['2024-01-02 03:04:05+00', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02 03:04:05.6+00', '2024-01-02T03:04:05.600Z'],
    ['2024-01-02 03:04:05.07+00', '2024-01-02T03:04:05.070Z'],
    ['2024-01-02T03:04:05.07+00:00', '2024-01-02T03:04:05.070Z'],
  ])('reads %s, whose fraction PostgreSQL shortened', (text, iso) => {
    expect(parseUtcTimestamp(text)?.toISOString()).toBe(iso);
    expect(parseUtcTimestamp(text)?.getTime()).toBe(new Date(iso).getTime());
  });

  it.each([
    ['2024-01-02 03:04:05.678999+00', '2024-01-02T03:04:05.678Z'],
    ['2024-01-02 03:04:05.0001+00', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02T03:04:05.12345+00:00', '2024-01-02T03:04:05.123Z'],
  ])('reads %s (written by SQL now()) to the millisecond, as Date does', (text, iso) => {
    expect(parseUtcTimestamp(text)?.toISOString()).toBe(iso);
    expect(parseUtcTimestamp(text)?.getTime()).toBe(
      new Date(text.replace(' ', 'T').replace(/\+00$/, 'Z')).getTime(),
    );
  });

  it.each([
    ['2024-01-02 03:04:05.6781234+00'], // finer than PostgreSQL writes
    ['2024-01-02 03:04:05.+00'],
    ['2024-01-02 03:04:05.678+00:'],
    ['2024-01-02 03:04:05.678+02'], // another offset
    ['0099-01-02T03:04:05.678Z'], // Date.UTC would read it as 1999
    ['2024-13-02T03:04:05.678Z'],
    ['2024-01-02T24:04:05.678Z'],
    ['2024-01-0xT03:04:05.678Z'],
    ['2024/01/02T03:04:05.678Z'],
    ['not a date at all, 24ch'],
  ])('leaves %s to Date', (text) => {
    expect(parseUtcTimestamp(text)).toBeUndefined();
  });
});

describe('StoredDate', () => {
  it('answers like any Date once changed', () => {
    const date = parseUtcTimestamp('2024-01-02T03:04:05.678Z') as StoredDate;
    date.setUTCFullYear(2030);
    expect(date.toISOString()).toBe('2030-01-02T03:04:05.678Z');
    expect(JSON.stringify(date)).toBe('"2030-01-02T03:04:05.678Z"');
  });
});
