// casebook search: Chinese full-text search on a static site, offline and from file://.
// The index (search/…) is written by `casebook build`; its files are scripts, loaded on
// demand, so no fetch is needed. The tokenizer below is a copy of src/search/tokenize.rs:
// tests/search-tokens.json pins both to the same output.
(function () {
  'use strict';

  const script = document.currentScript;
  const root = new URL('.', script ? script.src : location.href);

  // ---- Tokenizer (mirror of src/search/tokenize.rs) ----
  function isHan(cp) {
    return (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f);
  }
  function isRunChar(c) {
    const cp = c.codePointAt(0);
    return isHan(cp) || (cp >= 0x30 && cp <= 0x39);
  }
  const WORD = /^[\p{Alphabetic}\p{N}]$/u;
  function isWordChar(c) {
    return !isRunChar(c) && WORD.test(c);
  }
  function normalize(text) {
    return text.normalize('NFKC').toLowerCase();
  }
  // Tokens of normalized text: {text, pos, kind: 'char'|'word', start, end} where start
  // and end are offsets (in UTF-16 units) into `text`. Returns [tokens, next position].
  function tokenizeFrom(text, first) {
    const tokens = [];
    let position = first;
    let word = '';
    let wordStart = 0;
    let gap = false;
    let offset = 0;
    const flush = () => {
      if (word) {
        tokens.push({ text: word, pos: position, kind: 'word', start: wordStart, end: offset });
        position += 1;
        word = '';
      }
    };
    for (const c of text) {
      if (isRunChar(c)) {
        flush();
        if (gap) { position += 1; gap = false; }
        tokens.push({ text: c, pos: position, kind: 'char', start: offset, end: offset + c.length });
        position += 1;
      } else if (isWordChar(c)) {
        if (gap) { position += 1; gap = false; }
        if (!word) wordStart = offset;
        word += c;
      } else {
        flush();
        gap = true;
      }
      offset += c.length;
    }
    flush();
    return [tokens, position + 1];
  }
  function tokenize(text) {
    return tokenizeFrom(normalize(text), 0)[0];
  }

  // FNV-1a over UTF-8 bytes, as src/search/encode.rs hash.
  const encoder = new TextEncoder();
  function hash(term) {
    let h = 0x811c9dc5;
    for (const byte of encoder.encode(term)) {
      h ^= byte;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // ---- Loading index files as scripts ----
  const loaded = new Map();
  const pending = new Map();
  window.casebookSearchData = function (kind, n, payload) {
    const key = kind + ':' + n;
    loaded.set(key, payload);
    const waiting = pending.get(key);
    if (waiting) {
      pending.delete(key);
      waiting.resolve(payload);
    }
  };
  function load(kind, n) {
    const key = kind + ':' + n;
    if (loaded.has(key)) return Promise.resolve(loaded.get(key));
    if (!pending.has(key)) {
      const waiting = {};
      waiting.promise = new Promise((resolve, reject) => { waiting.resolve = resolve; waiting.reject = reject; });
      pending.set(key, waiting);
      const element = document.createElement('script');
      const file = kind === 'meta' || kind === 'f' ? `search/${kind === 'f' ? 'f' : 'meta'}.js` : `search/${kind}/${n}.js`;
      element.src = new URL(file, root).href;
      element.onerror = () => {
        pending.delete(key);
        waiting.reject(new Error('无法加载搜索索引：' + element.src));
      };
      document.head.appendChild(element);
    }
    return pending.get(key).promise;
  }
  const meta = () => load('meta', 0);

  // ---- Binary parts: zlib streams in base64 (src/search/encode.rs) ----
  function fromBase64(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }
  async function unpack(text) {
    const bytes = fromBase64(text);
    if (typeof DecompressionStream === 'function') {
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
      return new Uint8Array(await new Response(stream).arrayBuffer());
    }
    return inflate(bytes.subarray(2));
  }

  // Inflate (RFC 1951) for browsers without DecompressionStream (iOS before 16.4).
  function inflate(input) {
    let pos = 0, bit = 0, out = new Uint8Array(input.length * 4), size = 0;
    const need = (n) => { if (size + n > out.length) { const bigger = new Uint8Array(Math.max(out.length * 2, size + n)); bigger.set(out); out = bigger; } };
    const bits = (n) => {
      let v = 0;
      for (let i = 0; i < n; i++) {
        v |= ((input[pos] >> bit) & 1) << i;
        if (++bit === 8) { bit = 0; pos++; }
      }
      return v;
    };
    // A canonical Huffman code as [counts per length, symbols in order].
    const table = (lengths) => {
      const counts = new Uint16Array(16), offsets = new Uint16Array(16), symbols = new Uint16Array(lengths.length);
      for (const l of lengths) counts[l]++;
      counts[0] = 0;
      for (let i = 1; i < 16; i++) offsets[i] = offsets[i - 1] + counts[i - 1];
      lengths.forEach((l, s) => { if (l) symbols[offsets[l]++] = s; });
      return [counts, symbols];
    };
    const decode = ([counts, symbols]) => {
      let code = 0, first = 0, index = 0;
      for (let len = 1; len < 16; len++) {
        code |= bits(1);
        const count = counts[len];
        if (code - first < count) return symbols[index + code - first];
        index += count; first = (first + count) << 1; code <<= 1;
      }
      throw new Error('搜索索引已损坏');
    };
    const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    const LEXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
    const DEXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    let last = 0;
    while (!last) {
      last = bits(1);
      const type = bits(2);
      if (type === 0) {
        if (bit) { bit = 0; pos++; }
        const len = input[pos] | (input[pos + 1] << 8);
        pos += 4;
        need(len);
        out.set(input.subarray(pos, pos + len), size);
        size += len; pos += len;
        continue;
      }
      let lit, dist;
      if (type === 1) {
        const l = new Array(288).fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
        lit = table(l); dist = table(new Array(30).fill(5));
      } else {
        const hlit = bits(5) + 257, hdist = bits(5) + 1, hclen = bits(4) + 4;
        const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
        const cl = new Array(19).fill(0);
        for (let i = 0; i < hclen; i++) cl[order[i]] = bits(3);
        const codes = table(cl);
        const lengths = [];
        while (lengths.length < hlit + hdist) {
          const sym = decode(codes);
          if (sym < 16) lengths.push(sym);
          else if (sym === 16) { const prev = lengths[lengths.length - 1]; for (let r = 3 + bits(2); r > 0; r--) lengths.push(prev); }
          else if (sym === 17) { for (let r = 3 + bits(3); r > 0; r--) lengths.push(0); }
          else { for (let r = 11 + bits(7); r > 0; r--) lengths.push(0); }
        }
        lit = table(lengths.slice(0, hlit)); dist = table(lengths.slice(hlit));
      }
      for (;;) {
        const sym = decode(lit);
        if (sym === 256) break;
        if (sym < 256) { need(1); out[size++] = sym; continue; }
        const len = LBASE[sym - 257] + bits(LEXTRA[sym - 257]);
        const d = decode(dist);
        const back = DBASE[d] + bits(DEXTRA[d]);
        need(len);
        for (let i = 0; i < len; i++, size++) out[size] = out[size - back];
      }
    }
    return out.subarray(0, size);
  }

  // A reader of LEB128 varints.
  function reader(bytes) {
    let at = 0;
    return {
      varint() {
        let v = 0, scale = 1, b;
        do { b = bytes[at++]; v += (b & 0x7f) * scale; scale *= 128; } while (b & 0x80);
        return v;
      },
      // A term's list: `count` page deltas, then a byte per page (follower mask, weight).
      list(count) {
        const docs = new Array(count);
        let doc = 0;
        for (let i = 0; i < count; i++) { doc += this.varint(); docs[i] = doc; }
        const weights = bytes.subarray(at, at + count);
        at += count;
        return { docs, weights };
      },
    };
  }

  // ---- Term lists ----
  const buckets = new Map();
  async function bucket(b) {
    if (!buckets.has(b)) {
      buckets.set(b, load('t', b).then(unpack).then((bytes) => {
        const read = reader(bytes);
        const terms = new Map();
        let key = 0;
        for (let n = read.varint(); n > 0; n--) {
          key += read.varint();
          const v = read.varint();
          const count = Math.floor(v / 2);
          terms.set(key, v & 1 ? { count, own: true } : { count, ...read.list(count) });
        }
        return terms;
      }));
    }
    return buckets.get(b);
  }

  // The pages holding `term`: {term, df, docs (ascending), weights (by index)}.
  const lists = new Map();
  function lookup(term) {
    if (!lists.has(term)) {
      lists.set(term, (async () => {
        const m = await meta();
        const h = hash(term);
        const shift = Math.log2(m.buckets);
        const found = (await bucket(h & (m.buckets - 1))).get(Math.floor(h / 2 ** shift));
        if (!found) return { term, df: 0, docs: [], weights: new Uint8Array(0) };
        if (!found.own) return { term, df: found.count, docs: found.docs, weights: found.weights };
        const name = h.toString(16).padStart(8, '0');
        const own = reader(await unpack(await load('h', name))).list(found.count);
        return { term, df: found.count, ...own };
      })());
    }
    return lists.get(term);
  }

  // The words of other letters (and pinyin) a prefix stands for, the word itself first.
  async function expand(prefix) {
    const m = await meta();
    const head = Array.from(prefix).slice(0, 2).join('');
    if (Array.from(prefix).length < 2) return [prefix];
    const words = await load('w', hash(head) % m.wordFiles);
    let lo = 0, hi = words.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (words[mid] < prefix) lo = mid + 1; else hi = mid; }
    const found = [prefix];
    for (let i = lo; i < words.length && words[i].startsWith(prefix) && found.length < 20; i++) {
      if (words[i] !== prefix) found.push(words[i]);
    }
    return found;
  }

  // ---- Queries ----
  // A query is segments (split at spaces, all required). A segment is parts: runs of
  // adjacent Han characters and digits, and words of other letters.
  function parse(query) {
    const segments = [];
    for (const text of normalize(query).split(/\s+/)) {
      const tokens = tokenizeFrom(text, 0)[0];
      if (!tokens.length) continue;
      const parts = [];
      for (const t of tokens) {
        const last = parts[parts.length - 1];
        if (t.kind === 'char' && last && last.kind === 'run' && last.end === t.pos) {
          last.text += t.text; last.end += 1;
        } else {
          parts.push({ kind: t.kind === 'char' ? 'run' : 'word', text: t.text, end: t.pos + 1 });
        }
      }
      segments.push({ text: tokens.map((t) => t.text).join(''), parts });
    }
    return segments;
  }

  // Words of a run, by the browser's dictionary (every current browser has one for
  // Chinese); without it, character pairs stand in for words.
  const segmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter('zh', { granularity: 'word' }) : null;
  function wordsOf(run) {
    const chars = Array.from(run);
    if (chars.length <= 2) return [run];
    if (segmenter) {
      const words = [];
      for (const s of segmenter.segment(run)) if (s.isWordLike !== false) words.push(s.segment);
      return words;
    }
    const pairs = [];
    for (let i = 0; i + 1 < chars.length; i++) pairs.push(chars[i] + chars[i + 1]);
    return pairs;
  }

  function idf(df, m) {
    return Math.log(1 + (m.docs - df + 0.5) / (df + 0.5));
  }

  // Pages holding a run of characters, with a score: the pages holding all its pairs
  // (whose followers fit) or, for one character, the character.
  async function runMatches(run, m) {
    const chars = Array.from(run);
    if (chars.length === 1) {
      const list = await lookup(run);
      const matches = new Map();
      const weight = idf(list.df, m);
      list.docs.forEach((doc, i) => matches.set(doc, weight * (list.weights[i] & 15) / 15));
      return matches;
    }
    // A short run is looked up by pairs that cover it (0, 2… and the last): each page
    // holding the run holds them, and the followers and the text check rule out the
    // others. A long run, likely words that stand apart in the pages, takes every pair.
    const pairs = [];
    for (let i = 0; i + 1 < chars.length; i += chars.length > 5 ? 1 : 2) pairs.push(i);
    if (pairs[pairs.length - 1] !== chars.length - 2) pairs.push(chars.length - 2);
    pairs.forEach((i, k) => { pairs[k] = { term: chars[i] + chars[i + 1], follower: chars[i + 2] }; });
    const found = await Promise.all(pairs.map((p) => lookup(p.term)));
    // Walk the rarest list, and find each page in the others by binary search.
    const order = found.map((_, i) => i).sort((a, b) => found[a].df - found[b].df);
    const rarest = found[order[0]];
    const matches = new Map();
    const at = (list, doc) => {
      let lo = 0, hi = list.docs.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (list.docs[mid] < doc) lo = mid + 1; else hi = mid; }
      return list.docs[lo] === doc ? lo : -1;
    };
    for (const doc of rarest.docs) {
      let score = 0;
      let first = 0;
      let ok = true;
      for (let k = 0; k < found.length && ok; k++) {
        const i = at(found[k], doc);
        if (i < 0) { ok = false; break; }
        const byte = found[k].weights[i];
        const follower = pairs[k].follower;
        if (follower !== undefined && !((byte >> 4) & (1 << (follower.codePointAt(0) % 4)))) ok = false;
        if (k === 0) first = byte & 15;
        score = Math.max(score, idf(found[k].df, m));
      }
      // The pair that opens the phrase carries the word-start and field weight.
      if (ok) matches.set(doc, score * (1 + first) / 16 * Math.sqrt(chars.length - 1));
    }
    return matches;
  }

  // Pages holding a word of other letters or one it is a prefix of.
  async function wordMatches(word, m, prefix) {
    const words = prefix ? await expand(word) : [word];
    const matches = new Map();
    for (const list of await Promise.all(words.map(lookup))) {
      const weight = idf(list.df, m) * (list.term === word ? 1 : 0.7);
      list.docs.forEach((doc, i) => matches.set(doc, Math.max(matches.get(doc) || 0, weight * (list.weights[i] & 15) / 15)));
    }
    return matches;
  }

  function intersect(maps) {
    maps.sort((a, b) => a.size - b.size);
    const out = new Map();
    for (const [doc, score] of maps[0] || []) {
      let total = score;
      let ok = true;
      for (let k = 1; k < maps.length && ok; k++) {
        const s = maps[k].get(doc);
        if (s === undefined) ok = false; else total += s;
      }
      if (ok) out.set(doc, total);
    }
    return out;
  }

  const ranked = (scores) => Array.from(scores, ([doc, score]) => ({ doc, score })).sort((a, b) => b.score - a.score || a.doc - b.doc);

  // Every page holding every segment as a phrase (by its pairs), best first; when there
  // is none, pages ranked by how many of the query's words they hold.
  async function evaluate(query) {
    const m = await meta();
    const segments = parse(query);
    if (!segments.length) return { results: [], partial: false, segments };
    const lastWord = (s, p) => s === segments[segments.length - 1] && p === s.parts[s.parts.length - 1];
    const exact = await Promise.all(segments.map(async (s) => intersect(await Promise.all(s.parts.map((p) =>
      p.kind === 'run' ? runMatches(p.text, m) : wordMatches(p.text, m, lastWord(s, p)))))));
    const results = ranked(intersect(exact));
    if (results.length) return { results, partial: false, segments };
    return partialMatches(segments, m);
  }

  // Partial: the query's words, each scored where present, weighted by rarity; pages
  // holding more of them first. The commonest single characters say nothing.
  async function partialMatches(segments, m) {
    const common = new Set(m.common.map((c) => c[0]));
    const words = [];
    for (const s of segments) {
      for (const p of s.parts) {
        if (p.kind === 'word') words.push({ kind: 'word', text: p.text });
        else for (const w of wordsOf(p.text)) if (Array.from(w).length > 1 || !common.has(hash(w))) words.push({ kind: 'run', text: w });
      }
    }
    const unique = words.filter((w, i) => words.findIndex((x) => x.text === w.text) === i);
    const found = await Promise.all(unique.map((w) => (w.kind === 'run' ? runMatches(w.text, m) : wordMatches(w.text, m, false))));
    // A word counts by its length; a character on most pages counts for nothing.
    const worth = unique.map((w, i) => (Array.from(w.text).length === 1 && found[i].size > m.docs / 5 ? 0 : Array.from(w.text).length));
    const whole = worth.reduce((a, b) => a + b, 0);
    const held = new Map();
    const scores = new Map();
    found.forEach((matches, i) => {
      if (!worth[i]) return;
      for (const [doc, score] of matches) {
        held.set(doc, (held.get(doc) || 0) + worth[i]);
        scores.set(doc, (scores.get(doc) || 0) + score);
      }
    });
    // A page must hold at least half of what the query says.
    for (const [doc, score] of scores) {
      const share = held.get(doc) / whole;
      if (share < 0.5) scores.delete(doc); else scores.set(doc, score * share * share);
    }
    return { results: ranked(scores), partial: true, segments, words: unique.map((w) => w.text) };
  }

  // ---- Pages: records and texts ----
  async function record(doc) {
    const m = await meta();
    const [title, url, section, date, topics, headings] = await load('r', doc);
    return { doc, title, url: encodeURI(url), section: m.sections[section] || '', date, topics: topics.map((t) => m.topics[t]), headings };
  }

  const texts = new Map();
  function text(doc) {
    if (!texts.has(doc)) texts.set(doc, load('s', doc).then(unpack).then((bytes) => new TextDecoder().decode(bytes)));
    return texts.get(doc);
  }

  // `text` folded as the index folds it, with the offset in `text` of each unit.
  function folded(text) {
    let out = '';
    const from = [];
    let offset = 0;
    for (const c of text) {
      const n = normalize(c);
      out += n;
      for (let i = 0; i < n.length; i++) from.push(offset);
      offset += c.length;
    }
    from.push(offset);
    return { text: out, from };
  }

  // What to mark: every phrase of the query as typed, and for partial results its words;
  // a lone character only when the query is one.
  function needlesOf(found) {
    const needles = [];
    for (const s of found.segments) for (const p of s.parts) needles.push(p.text);
    for (const w of found.words || []) if (Array.from(w).length > 1) needles.push(w);
    return [...new Set(needles)].sort((a, b) => b.length - a.length);
  }

  // Ranges [start, end) of `text` (as written) where a needle stands.
  function rangesIn(text, needles) {
    const f = folded(text);
    const ranges = [];
    let i = 0;
    while (i < f.text.length) {
      const needle = needles.find((n) => f.text.startsWith(n, i));
      if (needle) {
        ranges.push([f.from[i], f.from[i + needle.length]]);
        i += needle.length;
      } else {
        i += 1;
      }
    }
    return ranges;
  }

  // Whether the page's title or text holds every run of characters as typed (words of
  // other letters may be pinyin or prefixes, which the text need not hold).
  function holds(title, body, segments) {
    const all = normalize(title) + '\n' + folded(body).text;
    return segments.every((s) => s.parts.every((p) => p.kind !== 'run' || all.includes(p.text)));
  }

  // The line around the first match outside the headings (else the first), as written,
  // with the matches marked.
  function snippetOf(body, needles, length = 60, headings = []) {
    const ranges = rangesIn(body, needles);
    const starts = new Set(headings.map((h) => h[1]));
    const inHeading = (at) => starts.has(body.lastIndexOf('\n', at - 1) + 1);
    const first = ranges.find(([a]) => !inHeading(a)) || ranges[0];
    // No match in the text (the title matched, or its pinyin): the first paragraph.
    let lead = 0;
    while (!first && starts.has(lead) && body.indexOf('\n', lead) >= 0) lead = body.indexOf('\n', lead) + 1;
    const at = first ? first[0] : lead;
    const lineStart = body.lastIndexOf('\n', at - 1) + 1;
    let lineEnd = body.indexOf('\n', at);
    if (lineEnd < 0) lineEnd = body.length;
    const from = Math.max(lineStart, at - Math.floor(length / 4));
    const to = Math.min(lineEnd, from + length);
    const marks = ranges.filter(([a, b]) => a >= from && b <= to).map(([a, b]) => [a - from, b - from]);
    const cut = from > lineStart ? 1 : 0;
    return {
      text: (cut ? '…' : '') + body.slice(from, to) + (to < lineEnd ? '…' : ''),
      marks: marks.map(([a, b]) => [a + cut, b + cut]),
      // Where the match is; -1 when it is not in the text, so no heading is named.
      at: first ? at : -1,
    };
  }

  // The heading above offset `at`.
  function headingAt(rec, body, at) {
    let heading = null;
    for (const h of rec.headings) if (h[1] <= at) heading = h;
    if (!heading) return { heading: null, target: rec.url };
    const end = body.indexOf('\n', heading[1]);
    return { heading: body.slice(heading[1], end < 0 ? undefined : end), target: rec.url + '#' + encodeURIComponent(heading[0]) };
  }

  // Results `offset` to `offset + limit`, each with its record; with `texts`, each page
  // of an exact match is read and kept only when it holds the query as typed, and gets a
  // snippet. Filters (section, topic) apply before anything is read.
  async function search(query, { limit = 10, offset = 0, section = '', topic = '', texts: withTexts = true } = {}) {
    let found = await evaluate(query);
    let page = await show(found, { limit, offset, section, topic, withTexts });
    // Pairs that stood apart on every page: no page holds the query as typed.
    if (!found.partial && !page.results.length && page.dropped === found.results.length && found.results.length) {
      found = await partialMatches(found.segments, await meta());
      page = await show(found, { limit, offset, section, topic, withTexts });
    }
    // An exact title match goes first among what is shown.
    const q = found.segments.map((s) => s.text).join('');
    page.results.sort((a, b) => (normalize(b.title).replace(/\s+/g, '') === q) - (normalize(a.title).replace(/\s+/g, '') === q) || b.score - a.score);
    return { total: page.total, results: page.results, partial: found.partial, segments: found.segments, needles: needlesOf(found) };
  }

  // One page of `found`'s results, filtered, read and checked.
  async function show(found, { limit, offset, section, topic, withTexts }) {
    let results = found.results;
    if (section || topic) {
      const m = await meta();
      const facets = await load('f', 0);
      const s = m.sections.indexOf(section);
      const t = m.topics.indexOf(topic);
      results = results.filter((r) => (!section || facets[r.doc][0] === s) && (!topic || facets[r.doc][1].includes(t)));
    }
    const needles = needlesOf(found);
    // Pages are read a batch at a time; an exact match whose text does not hold the
    // query (its pairs stand apart) is dropped and the next one read.
    const check = async (r) => {
      const rec = await record(r.doc);
      if (!withTexts) return { ...rec, score: r.score, heading: null, target: rec.url };
      const body = await text(r.doc);
      if (!found.partial && !holds(rec.title, body, found.segments)) return null;
      const snippet = snippetOf(body, needles, (await meta()).snippet, rec.headings);
      return { ...rec, ...headingAt(rec, body, snippet.at), score: r.score, snippet };
    };
    const page = [];
    let kept = 0;
    let dropped = 0;
    for (let next = 0; page.length < limit && next < results.length; next += limit) {
      for (const r of await Promise.all(results.slice(next, next + limit).map(check))) {
        if (!r) { dropped += 1; continue; }
        if (kept >= offset && page.length < limit) page.push(r);
        kept += 1;
      }
    }
    return { total: results.length - dropped, results: page, dropped };
  }

  // The address of a result at the heading above its first match.
  async function locate(result, needles) {
    const body = await text(result.doc);
    return headingAt(result, body, snippetOf(body, needles, 60, result.headings).at).target;
  }

  // Appends `text` to `parent` with the ranges marked, as text nodes and <mark> elements
  // only: nothing from the index or the query is parsed as HTML.
  function appendMarked(parent, text, ranges) {
    let at = 0;
    for (const [a, b] of ranges) {
      if (a > at) parent.append(text.slice(at, a));
      const mark = document.createElement('mark');
      mark.textContent = text.slice(a, b);
      parent.append(mark);
      at = b;
    }
    if (at < text.length) parent.append(text.slice(at));
  }
  function highlight(parent, text, needles) {
    appendMarked(parent, text, rangesIn(text, needles));
  }

  const api = { tokenize, normalize, hash, parse, search, highlight, inflate, root };
  window.casebookSearch = api;

  // ---- The header box: instant results as a combobox ----
  function relative(url) {
    return new URL(url, root).href;
  }

  // Opens a chosen result at the heading above its match: the page's text is read only
  // now, so typing costs no text downloads.
  async function follow(option) {
    let href = option.dataset.href;
    try {
      href = relative(await locate(option.result, option.needles));
    } catch (error) {
      // The page itself is still the right place.
    }
    location.href = href;
  }

  function setUpBox(form) {
    const input = form.querySelector('input[name=q]');
    const list = form.querySelector('[role=listbox]');
    const status = form.querySelector('[data-search-status]');
    if (!input || !list) return;
    let active = -1;
    let serial = 0;
    const options = () => Array.from(list.querySelectorAll('[role=option]'));
    const close = () => {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    };
    const activate = (i) => {
      const all = options();
      if (!all.length) return;
      active = (i + all.length) % all.length;
      all.forEach((o, k) => o.setAttribute('aria-selected', String(k === active)));
      input.setAttribute('aria-activedescendant', all[active].id);
    };
    const show = async () => {
      const query = input.value.trim();
      const mine = ++serial;
      if (!query) { close(); list.textContent = ''; status.textContent = ''; return; }
      let found;
      try {
        found = await search(query, { limit: 5, texts: false });
      } catch (error) {
        status.textContent = String(error.message || error);
        return;
      }
      if (mine !== serial) return;
      list.textContent = '';
      found.results.forEach((r, k) => {
        const option = document.createElement('li');
        option.id = `${list.id}-${k}`;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', 'false');
        // An option holds no link (a link inside an option is a nested control); it
        // carries its address and is followed on click or Enter.
        option.dataset.href = relative(r.target);
        option.result = r;
        option.needles = found.needles;
        const title = document.createElement('span');
        title.className = 'result-title';
        highlight(title, r.title, found.needles);
        const where = document.createElement('span');
        where.className = 'result-meta';
        where.textContent = [r.section, r.date, r.heading && '§ ' + r.heading].filter(Boolean).join(' · ');
        option.append(title, where);
        option.addEventListener('mousedown', (e) => e.preventDefault());
        option.addEventListener('click', () => follow(option));
        list.append(option);
      });
      const more = found.total > found.results.length ? `，按回车查看全部 ${found.total} 条` : '';
      status.textContent = found.results.length
        ? `${found.partial ? '部分匹配：' : ''}找到 ${found.total} 条结果${more}`
        : '没有找到结果';
      list.hidden = !found.results.length;
      input.setAttribute('aria-expanded', String(!list.hidden));
      active = -1;
    };
    input.addEventListener('input', show);
    input.addEventListener('focus', () => { meta().catch(() => {}); });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown') { e.preventDefault(); if (list.hidden) show(); else activate(active + 1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); activate(active - 1); }
      else if (e.key === 'Escape') { close(); }
      else if (e.key === 'Enter' && active >= 0) {
        e.preventDefault();
        follow(options()[active]);
      }
    });
    input.addEventListener('blur', () => setTimeout(close, 150));
  }

  // ---- The search page: all results, paginated, with filters in the URL ----
  const PAGE = 10;
  async function setUpPage(page) {
    const form = page.querySelector('form');
    const results = page.querySelector('[data-results]');
    const summary = page.querySelector('[data-summary]');
    const pager = page.querySelector('[data-pager]');
    const params = new URLSearchParams(location.search);
    const m = await meta();
    for (const [name, values] of [['section', m.sections], ['topic', m.topics]]) {
      const select = form.elements[name];
      for (const v of values) select.add(new Option(v, v));
      select.value = params.get(name) || '';
    }
    form.elements.q.value = params.get('q') || '';
    form.hidden = false;
    const fallback = page.querySelector('[data-needs-script]');
    if (fallback) fallback.remove();
    const run = async () => {
      const query = form.elements.q.value.trim();
      const section = form.elements.section.value;
      const topic = form.elements.topic.value;
      const number = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
      results.textContent = '';
      pager.textContent = '';
      if (!query) { summary.textContent = '请输入要搜索的词，例如：下党、接待群众、滴水穿石。'; return; }
      const found = await search(query, { limit: PAGE, offset: (number - 1) * PAGE, section, topic });
      summary.textContent = found.total
        ? `${found.partial ? '没有完全匹配的结果，以下为部分匹配。' : ''}“${query}”共找到 ${found.total} 条结果。`
        : `没有找到与“${query}”相关的结果。换个说法，或减少筛选条件试试。`;
      for (const r of found.results) {
        const item = document.createElement('li');
        item.className = 'result';
        const h = document.createElement('h2');
        const link = document.createElement('a');
        link.href = relative(r.target);
        highlight(link, r.title, found.needles);
        h.append(link);
        const info = document.createElement('p');
        info.className = 'result-meta';
        info.textContent = [r.section, r.date, r.heading && '§ ' + r.heading].filter(Boolean).join(' · ');
        const text = document.createElement('p');
        text.className = 'result-snippet';
        appendMarked(text, r.snippet.text, r.snippet.marks);
        item.append(h, info, text);
        results.append(item);
      }
      const pages = Math.ceil(found.total / PAGE);
      for (let k = 1; k <= pages && pages > 1; k++) {
        const next = new URLSearchParams(params);
        next.set('page', String(k));
        const a = document.createElement('a');
        a.href = '?' + next.toString();
        a.textContent = String(k);
        if (k === number) a.setAttribute('aria-current', 'page');
        pager.append(a);
      }
    };
    const submit = (e) => {
      if (e) e.preventDefault();
      for (const name of ['q', 'section', 'topic']) {
        const value = form.elements[name].value.trim();
        if (value) params.set(name, value); else params.delete(name);
      }
      params.delete('page');
      history.replaceState(null, '', '?' + params.toString());
      run();
    };
    form.addEventListener('submit', submit);
    form.elements.section.addEventListener('change', submit);
    form.elements.topic.addEventListener('change', submit);
    run();
  }

  function start() {
    document.querySelectorAll('form[data-search-box]').forEach(setUpBox);
    const page = document.querySelector('[data-search-page]');
    if (page) setUpPage(page).catch((error) => {
      const summary = page.querySelector('[data-summary]');
      if (summary) summary.textContent = String(error.message || error);
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
