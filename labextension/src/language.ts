/**
 * The CMPivot language for CodeMirror 6: a StreamLanguage tokenizer for `%%cmpivot` cells.
 *
 * Word classes come from words.ts (generated from the Python catalog, engine and grammar), but
 * position decides first, as the grammar does: the word after `|` is a table operator, the first
 * word of the query (and the one after `join`) names a table, a word before `(` is a function.
 * Unknown words stay plain identifiers, so a site's custom classes and any column read normally.
 * The first line is the magic line: `%%cmpivot` and its `--options`.
 */

import { LanguageSupport, StreamLanguage, StringStream } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

import {
  AGGREGATIONS,
  ENTITIES,
  FUNCTIONS,
  JOIN_KINDS,
  KEYWORDS,
  RENDER_KINDS,
  SCALAR_OPERATORS,
  TABLE_OPERATORS
} from './words';

/** A cell is a CMPivot cell when its first non-blank line starts with `%%cmpivot`, as IPython sees it. */
export function isCmpivotCell(source: string): boolean {
  return /^\s*%%cmpivot\b/.test(source);
}

const set = (words: readonly string[]): Set<string> => new Set(words);
const entities = set(ENTITIES);
const tableOperators = set(TABLE_OPERATORS);
const keywords = set(KEYWORDS);
const scalarOperators = set(SCALAR_OPERATORS);
const functions = set([...FUNCTIONS, ...AGGREGATIONS]);
const joinKinds = set(JOIN_KINDS);
const renderKinds = set(RENDER_KINDS);

// the grammar's literal forms (grammar.lark: TIMESPAN, REAL, INT, DATETIME_LIT)
const TIMESPAN =
  /^\d+(\.\d+)?(days|day|d|hours|hour|hrs|hr|h|minutes|minute|min|m|seconds|second|sec|s|milliseconds|millisecond|millisec|millis|milli|ms|microseconds|microsecond|microsec|micros|micro|nanoseconds|nanosecond|nanosec|nanos|nano|ticks|tick)\b/i;
const NUMBER = /^(0x[0-9a-f]+|\d+\.(?!\.)\d*(e[+-]?\d+)?|\d+e[+-]?\d+|\.\d+(e[+-]?\d+)?|\d+)/i;
const TIME_LITERAL = /^(datetime|timespan|time)\s*\(\s*[^)]*\)/i;
// `{name}` or `{obj.attr}`: the magic's Python interpolation (magic/interpolate.py)
const INTERPOLATION = /^\{[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\}/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;
const HYPHENATED = /^[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z_][A-Za-z0-9_]*)+/;
const OPERATOR = /^(==|!=|<>|<=|>=|=~|!~|\.\.|[<>=+\-*/%!])/;

interface State {
  seenMagic: boolean; // the `%%cmpivot` line has started
  onMagicLine: boolean;
  afterPipe: boolean; // the next word is a table operator
  expectTable: boolean; // the next word names a table: the query's first word, or after `join`
  prev: string; // the previous word, lower case (`kind`, `render`)
  quote: string | null; // inside a string opened with this quote
  verbatim: boolean; // the string is @'…': no escapes
}

function tokenString(stream: StringStream, state: State): string {
  while (!stream.eol()) {
    if (stream.match(INTERPOLATION, false)) {
      if (stream.current().length > 0) {
        return 'string';
      }
      stream.match(INTERPOLATION);
      return 'interpolation';
    }
    const ch = stream.next();
    if (ch === '\\' && !state.verbatim) {
      stream.next();
    } else if (ch === state.quote) {
      state.quote = null;
      return 'string';
    }
  }
  state.quote = null; // strings end at the line's end, as in the grammar
  return 'string';
}

function magicLine(stream: StringStream): string | null {
  if (stream.eatSpace()) {
    return null;
  }
  if (stream.match(/^%%cmpivot\b/)) {
    return 'magic';
  }
  if (stream.match(/^--?[A-Za-z][\w-]*/)) {
    return 'option';
  }
  if (stream.match(/^\d+(\.\d+)?\b/)) {
    return 'number';
  }
  stream.match(/^\S+/);
  return null;
}

function word(stream: StringStream, state: State, w: string): string {
  const afterPipe = state.afterPipe;
  const expectTable = state.expectTable;
  const prev = state.prev;
  state.afterPipe = false;
  state.prev = w;
  if (afterPipe) {
    state.expectTable = w === 'join';
    return tableOperators.has(w) ? 'tableOperator' : 'variableName';
  }
  if (prev === 'kind' && joinKinds.has(w)) {
    return 'atom';
  }
  if (expectTable) {
    if (w === 'kind') {
      return 'keyword';
    }
    state.expectTable = false;
    return entities.has(w) ? 'entity' : 'variableName'; // a custom class: a plain name
  }
  if (prev === 'render' && renderKinds.has(w)) {
    return 'atom';
  }
  if (w === 'true' || w === 'false') {
    return 'bool';
  }
  if (w === 'null') {
    return 'atom';
  }
  if (w === 'in' && stream.eat('~')) {
    return 'scalarOperator';
  }
  if (scalarOperators.has(w)) {
    return 'scalarOperator';
  }
  if (keywords.has(w)) {
    return 'keyword';
  }
  if (stream.match(/^\s*\(/, false)) {
    return functions.has(w) || !entities.has(w) ? 'function' : 'entity';
  }
  return 'variableName';
}

function token(stream: StringStream, state: State): string | null {
  if (stream.sol()) {
    if (!state.seenMagic && stream.match(/^\s*%%cmpivot\b/, false)) {
      state.seenMagic = true;
      state.onMagicLine = true;
    } else {
      state.onMagicLine = false;
    }
  }
  if (state.onMagicLine) {
    return magicLine(stream);
  }
  if (state.quote) {
    return tokenString(stream, state);
  }
  if (stream.eatSpace()) {
    return null;
  }
  if (stream.match('//')) {
    stream.skipToEnd();
    return 'comment';
  }
  if (stream.match(INTERPOLATION)) {
    state.afterPipe = state.expectTable = false;
    return 'interpolation';
  }
  const quote = stream.match(/^[hH]?(@?)(['"])/) as RegExpMatchArray | null;
  if (quote) {
    state.afterPipe = state.expectTable = false;
    state.quote = quote[2];
    state.verbatim = quote[1] === '@';
    return tokenString(stream, state);
  }
  if (stream.match(TIME_LITERAL) || stream.match(TIMESPAN) || stream.match(NUMBER)) {
    state.afterPipe = state.expectTable = false;
    return 'number';
  }
  if (stream.eat('|')) {
    state.afterPipe = true;
    state.expectTable = false;
    return 'pipe';
  }
  if (stream.match(/^\$(left|right)\b/i)) {
    return 'keyword';
  }
  const negated = stream.match(/^!([A-Za-z_]\w*~?)/, false) as RegExpMatchArray | null;
  if (negated && scalarOperators.has(negated[0].toLowerCase())) {
    stream.match(/^!([A-Za-z_]\w*~?)/);
    return 'scalarOperator';
  }
  if (stream.match(OPERATOR)) {
    return 'operator';
  }
  const hyphenated = stream.match(HYPHENATED, false) as RegExpMatchArray | null;
  if (hyphenated) {
    const w = hyphenated[0].toLowerCase();
    if (tableOperators.has(w) || keywords.has(w)) {
      stream.match(HYPHENATED);
      return word(stream, state, w);
    }
  }
  const plain = stream.match(WORD) as RegExpMatchArray | null;
  if (plain) {
    return word(stream, state, plain[0].toLowerCase());
  }
  stream.next();
  if (!'()[]{}'.includes(stream.current())) {
    state.afterPipe = state.expectTable = false;
  }
  return 'punctuation';
}

/** The CMPivot language; `data-language="cmpivot"` marks editors that use it. */
export const cmpivotLanguage = StreamLanguage.define<State>({
  name: 'cmpivot',
  startState: () => ({
    seenMagic: false,
    onMagicLine: false,
    afterPipe: false,
    expectTable: true,
    prev: '',
    quote: null,
    verbatim: false
  }),
  copyState: s => ({ ...s }),
  token,
  languageData: { commentTokens: { line: '//' } },
  // each token style names CodeMirror tags: classHighlighter turns them into stable tok-* classes,
  // JupyterLab's own highlight style into its theme's colours
  tokenTable: {
    magic: t.meta,
    option: t.propertyName,
    entity: [t.typeName, t.special(t.variableName)],
    tableOperator: t.keyword,
    keyword: t.keyword,
    scalarOperator: t.operatorKeyword,
    function: [t.macroName, t.standard(t.variableName)],
    variableName: t.variableName,
    interpolation: t.special(t.string),
    pipe: t.operator,
    operator: t.operator,
    punctuation: t.punctuation
  }
});

export function cmpivot(): LanguageSupport {
  return new LanguageSupport(cmpivotLanguage);
}
