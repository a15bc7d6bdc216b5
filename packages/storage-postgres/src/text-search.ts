/**
 * The text-search expression of `$text`, shared by queries and `text` indexes: the same SQL text,
 * so PostgreSQL's planner matches a query to its GIN expression index. The configuration is a
 * literal (from a fixed list), never a parameter, for the same reason.
 */

/** PostgreSQL text-search configurations for core's language names. */
export const TEXT_CONFIGS: Readonly<Record<string, string>> = {
  danish: 'danish',
  dutch: 'dutch',
  english: 'english',
  finnish: 'finnish',
  french: 'french',
  german: 'german',
  hungarian: 'hungarian',
  italian: 'italian',
  norwegian: 'norwegian',
  portuguese: 'portuguese',
  romanian: 'romanian',
  russian: 'russian',
  spanish: 'spanish',
  swedish: 'swedish',
  turkish: 'turkish',
  none: 'simple',
};

const ACCENTED =
  'àáâãäåāăąçćčďèéêëēėęěğìíîïīįıłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿžźżÀÁÂÃÄÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚĞÌÍÎÏĪĮİŁÑŃŇÒÓÔÕÖØŌŐŔŘŚŠŞŤÙÚÛÜŪŮŰŲÝŸŽŹŻ';
const PLAIN =
  'aaaaaaaaacccdeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzAAAAAAAAACCCDEEEEEEEEGIIIIIIILNNNOOOOOOOORRSSSTUUUUUUUUYYZZZ';

/** SQL folding the common Latin diacritics of a text expression (no `unaccent` extension needed). */
export function foldDiacritics(sql: string): string {
  return `translate(${sql}, '${ACCENTED}', '${PLAIN}')`;
}

/** The same folding, for a term. */
export function stripDiacritics(text: string): string {
  let folded = '';
  for (const char of text) {
    const at = ACCENTED.indexOf(char);
    folded += at === -1 ? char : PLAIN[at];
  }
  return folded;
}

/** `to_tsvector('<config>'::regconfig, …)` of a text column, diacritics folded unless `diacriticSensitive`. */
export function textVector(
  column: string,
  language: string | undefined,
  diacriticSensitive: boolean,
): string {
  const config = TEXT_CONFIGS[language ?? 'english'] ?? 'english';
  const source = diacriticSensitive ? `coalesce(${column}, '')` : foldDiacritics(`coalesce(${column}, '')`);
  return `to_tsvector('${config}'::regconfig, ${source})`;
}
