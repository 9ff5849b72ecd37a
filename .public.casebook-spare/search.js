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

  // FNV-1a over UTF-8 bytes, as src/search/mod.rs bucket_of.
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
      element.src = new URL(kind === 'meta' ? 'search/meta.js' : `search/${kind}/${n}.js`, root).href;
      element.onerror = () => {
        pending.delete(key);
        waiting.reject(new Error('无法加载搜索索引：' + element.src));
      };
      document.head.appendChild(element);
    }
    return pending.get(key).promise;
  }
  const meta = () => load('meta', 0);

  // ---- Postings ----
  // An entry is [df, kept, doc, length, title, heading, total, count, positions…, …].
  const decoded = new Map();
  function decode(term, entry) {
    if (decoded.has(term)) return decoded.get(term);
    const postings = new Map();
    let i = 2;
    let doc = 0;
    for (let k = 0; k < entry[1]; k++) {
      doc += entry[i];
      const posting = { length: entry[i + 1], title: entry[i + 2], heading: entry[i + 3], total: entry[i + 4], positions: [] };
      const count = entry[i + 5];
      i += 6;
      let pos = 0;
      for (let j = 0; j < count; j++, i++) {
        pos += entry[i] >> 1;
        posting.positions.push({ pos, wordStart: (entry[i] & 1) === 1 });
      }
      postings.set(doc, posting);
    }
    const result = { df: entry[0], truncated: entry[1] < entry[0], postings };
    decoded.set(term, result);
    return result;
  }

  async function lookup(term) {
    const m = await meta();
    const bucket = await load('t', hash(term) % m.buckets);
    const entry = bucket[term];
    const found = entry ? decode(term, entry) : { df: 0, truncated: false, postings: new Map() };
    found.term = term;
    return found;
  }

  // Every page of a term: its kept postings plus its tail (page deltas, or a base64
  // bitmap over all pages), loaded only when the kept postings are not enough.
  async function allDocs(entry) {
    if (entry.all) return entry.all;
    const all = new Set(entry.postings.keys());
    const terms = entry.words || (entry.truncated ? [entry.term] : []);
    const m = await meta();
    for (const term of terms) {
      const tails = await load('x', hash(term) % m.buckets);
      const tail = tails[term];
      if (Array.isArray(tail)) {
        let doc = 0;
        for (const delta of tail) { doc += delta; all.add(doc); }
      } else if (typeof tail === 'string') {
        const bits = atob(tail);
        for (let i = 0; i < bits.length; i++) {
          const byte = bits.charCodeAt(i);
          for (let b = 0; b < 8; b++) if (byte & (1 << b)) all.add(i * 8 + b);
        }
      }
    }
    entry.all = all;
    return all;
  }

  // Words a Latin prefix stands for, from the sorted list in meta.
  function expand(words, prefix) {
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (words[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    const found = [];
    for (let i = lo; i < words.length && words[i].startsWith(prefix) && found.length < 20; i++) found.push(words[i]);
    return found;
  }

  // A word term's postings: the union over the words it is a prefix of.
  async function lookupWord(prefix) {
    const m = await meta();
    const words = expand(m.words, prefix);
    const merged = { df: 0, truncated: false, postings: new Map(), words: [] };
    for (const entry of await Promise.all(words.map(lookup))) {
      if (entry.truncated) merged.words.push(entry.term);
      merged.df = Math.max(merged.df, entry.df);
      merged.truncated = merged.truncated || entry.truncated;
      for (const [doc, p] of entry.postings) {
        const have = merged.postings.get(doc);
        if (!have) {
          merged.postings.set(doc, { ...p, positions: p.positions.slice() });
        } else {
          have.title += p.title; have.heading += p.heading; have.total += p.total;
          have.positions = have.positions.concat(p.positions).sort((a, b) => a.pos - b.pos);
        }
      }
    }
    return merged;
  }

  // ---- Queries ----
  // A query is segments (split at spaces, all required); a segment's Han characters and
  // digits form phrases: bigrams at fixed offsets that must line up.
  function parse(query) {
    const segments = [];
    for (const part of normalize(query).split(/\s+/)) {
      const tokens = tokenizeFrom(part, 0)[0];
      if (!tokens.length) continue;
      const terms = [];
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i];
        if (t.kind === 'word') {
          terms.push({ term: t.text, offset: t.pos, kind: 'word' });
          continue;
        }
        const next = tokens[i + 1];
        const previous = tokens[i - 1];
        if (next && next.kind === 'char' && next.pos === t.pos + 1) {
          terms.push({ term: t.text + next.text, offset: t.pos, kind: 'bigram' });
        } else if (!(previous && previous.kind === 'char' && previous.pos === t.pos - 1)) {
          terms.push({ term: t.text, offset: t.pos, kind: 'char' });
        }
      }
      segments.push({ text: tokens.map((t) => t.text).join(''), terms, tokens });
    }
    return segments;
  }

  function bm25(tf, df, length, m) {
    const idf = Math.log(1 + (m.docs - df + 0.5) / (df + 0.5));
    const norm = 0.25 + 0.75 * length / Math.max(1, m.average);
    return idf * tf * 2.2 / (tf + 1.2 * norm);
  }

  // Matches of one segment in one page: phrase starts (when positions allow) and score.
  function matchSegment(segment, entries, doc, m, strict) {
    const postings = segment.terms.map((t, i) => entries[i].postings.get(doc));
    if (postings.some((p) => !p)) return null;
    const positional = segment.terms.map((t) => t.kind !== 'char');
    const anchorIndex = positional.indexOf(true);
    let starts = [];
    if (anchorIndex < 0 || !strict) {
      // Presence only: each term's first position stands for the match.
      const p = postings[anchorIndex < 0 ? 0 : anchorIndex];
      starts = p.positions.slice(0, 1).map((x) => ({ pos: x.pos - segment.terms[anchorIndex < 0 ? 0 : anchorIndex].offset, wordStart: x.wordStart }));
    } else {
      const sets = postings.map((p) => new Set(p.positions.map((x) => x.pos)));
      const anchor = segment.terms[anchorIndex];
      for (const x of postings[anchorIndex].positions) {
        const start = x.pos - anchor.offset;
        const ok = segment.terms.every((t, i) => !positional[i] || sets[i].has(start + t.offset));
        if (ok) starts.push({ pos: start, wordStart: anchor.offset === 0 ? x.wordStart : false });
      }
      if (!starts.length) return null;
    }
    const bodyStart = m.bodyStart;
    let title = starts.filter((s) => s.pos < bodyStart).length;
    let heading = 0;
    if (segment.terms.length === 1) {
      title = postings[0].title;
      heading = postings[0].heading;
    }
    const total = segment.terms.length === 1 ? postings[0].total : starts.length;
    const tf = 3 * title + 2 * heading + Math.max(0, total - title - heading);
    const df = Math.min(...segment.terms.map((t, i) => entries[i].df));
    // Matches that start a word count fully; 下党 inside 乡下党员 counts a third.
    const aligned = starts.filter((s) => s.wordStart).length / starts.length;
    const titleAligned = starts.some((s) => s.pos < bodyStart && s.wordStart);
    const score = bm25(tf, df, postings[0].length, m) * (0.35 + 0.65 * aligned) + (titleAligned ? 2 : 0);
    const body = starts.filter((s) => s.pos >= bodyStart);
    const best = (body.find((s) => s.wordStart) || body[0] || starts[0]).pos;
    return { score, best };
  }

  async function evaluate(query, want = 10) {
    const m = await meta();
    const segments = parse(query);
    if (!segments.length) return { results: [], partial: false, truncated: false, segments };
    const entries = await Promise.all(segments.map((s) => Promise.all(s.terms.map((t) => (t.kind === 'word' ? lookupWord(t.term) : lookup(t.term))))));
    const truncated = entries.some((list) => list.some((e) => e.truncated));
    const run = (strict) => {
      // Candidates: pages holding the rarest term of the first segment.
      const all = entries.flat();
      const rarest = all.reduce((a, b) => (a.postings.size <= b.postings.size ? a : b));
      const results = [];
      for (const doc of rarest.postings.keys()) {
        let score = 0;
        let best = null;
        let ok = true;
        for (let i = 0; i < segments.length && ok; i++) {
          const match = matchSegment(segments[i], entries[i], doc, m, strict);
          if (!match) ok = false;
          else {
            score += match.score;
            if (best === null || i === 0) best = match.best;
          }
        }
        if (ok) results.push({ doc, score, best });
      }
      results.sort((a, b) => b.score - a.score || a.doc - b.doc);
      return results;
    };
    let results = run(true);
    let partial = false;
    // Frequent terms keep only their best postings; when those leave too few results,
    // the tails say which other pages hold every term. A segment of one term is then a
    // sure match; a longer phrase cannot be checked there, so those count only when
    // nothing better was found.
    if (results.length < want && truncated) {
      const exact = segments.every((s) => s.terms.length === 1);
      if (exact || !results.length) {
        const sets = await Promise.all(entries.flat().map(allDocs));
        const have = new Set(results.map((r) => r.doc));
        const smallest = sets.reduce((a, b) => (a.size <= b.size ? a : b));
        const extra = [];
        for (const doc of smallest) {
          if (have.has(doc) || !sets.every((set) => set.has(doc))) continue;
          const score = entries.flat().reduce((sum, e) => sum + Math.log(1 + (m.docs - e.df + 0.5) / (e.df + 0.5)), 0) * 0.1;
          extra.push({ doc, score, best: m.bodyStart });
        }
        extra.sort((a, b) => a.doc - b.doc);
        results = results.concat(extra);
        partial = !exact && extra.length > 0 && have.size === 0;
      }
    }
    if (!results.length && (segments.length > 1 || segments.some((s) => s.terms.length > 1))) {
      results = run(false);
      partial = results.length > 0;
    }
    return { results, partial, truncated, segments };
  }

  async function record(doc) {
    const m = await meta();
    const shard = await load('r', Math.floor(doc / m.records));
    const [title, url, section, date, dateIso, topics, headings] = shard[doc % m.records];
    return { doc, title, url: encodeURI(url), section: m.sections[section] || '', date, dateIso, topics: topics.map((t) => m.topics[t]), headings };
  }

  // Link to the heading above the best match.
  function withHeading(rec, best) {
    let heading = null;
    for (const h of rec.headings) if (h[2] <= best) heading = h;
    return { ...rec, heading: heading ? heading[1] : null, target: heading ? rec.url + '#' + encodeURIComponent(heading[0]) : rec.url };
  }

  async function search(query, { limit = 10, offset = 0, section = '', topic = '' } = {}) {
    const found = await evaluate(query, offset + limit);
    let results = found.results;
    const wanted = section || topic;
    const page = [];
    let matched = 0;
    // Records are loaded only as far as the filters and the page need them.
    for (const r of results) {
      if (!wanted && matched >= offset + limit) { matched = results.length; break; }
      const rec = await record(r.doc);
      if (section && rec.section !== section) continue;
      if (topic && !rec.topics.includes(topic)) continue;
      if (matched >= offset && page.length < limit) page.push({ ...withHeading(rec, r.best), score: r.score, best: r.best });
      matched += 1;
    }
    // An exact title match goes first among what is shown.
    const q = found.segments.map((s) => s.text).join('');
    page.sort((a, b) => (normalize(b.title).replace(/\s+/g, '') === q) - (normalize(a.title).replace(/\s+/g, '') === q) || b.score - a.score);
    return { total: matched, results: page, partial: found.partial, truncated: found.truncated, segments: found.segments };
  }

  // The opening of the paragraph holding the match, around the match when it is kept.
  async function snippet(result, length = 60) {
    const m = await meta();
    const shard = await load('p', Math.floor(result.doc / m.passages));
    const passages = shard[result.doc % m.passages] || [];
    let chosen = passages[0];
    for (const p of passages) if (p[0] <= result.best) chosen = p;
    if (!chosen) return '';
    const [start, text] = chosen;
    const tokens = tokenizeFrom(text, start)[0];
    const hit = tokens.find((t) => t.pos >= result.best);
    let from = 0;
    if (hit && hit.pos === result.best) from = Math.max(0, hit.start - Math.floor(length / 3));
    const cut = text.slice(from, from + length);
    return (from > 0 ? '…' : '') + cut + (from + length < text.length ? '…' : '');
  }

  // Appends `text` to `parent` with every query phrase or word marked, as text nodes and
  // <mark> elements only: nothing from the index or the query is parsed as HTML.
  function highlight(parent, text, segments) {
    const needles = [];
    for (const s of segments) {
      needles.push(s.text);
      for (const t of s.tokens) needles.push(t.text);
    }
    needles.sort((a, b) => b.length - a.length);
    const lower = normalize(text);
    let i = 0;
    let plain = '';
    while (i < text.length) {
      const needle = needles.find((n) => n.length > 0 && lower.startsWith(n, i));
      if (needle && lower.length === text.length) {
        if (plain) { parent.append(plain); plain = ''; }
        const mark = document.createElement('mark');
        mark.textContent = text.slice(i, i + needle.length);
        parent.append(mark);
        i += needle.length;
      } else {
        plain += text[i];
        i += 1;
      }
    }
    if (plain) parent.append(plain);
  }

  const api = { tokenize, normalize, hash, parse, search, snippet, highlight, root };
  window.casebookSearch = api;

  // ---- The header box: instant results as a combobox ----
  function relative(url) {
    return new URL(url, root).href;
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
      if (!query) { close(); list.replaceChildren(); status.textContent = ''; return; }
      let found;
      try {
        found = await search(query, { limit: 5 });
      } catch (error) {
        status.textContent = String(error.message || error);
        return;
      }
      if (mine !== serial) return;
      list.replaceChildren();
      found.results.forEach((r, k) => {
        const option = document.createElement('li');
        option.id = `${list.id}-${k}`;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', 'false');
        // An option holds no link (a link inside an option is a nested control); it
        // carries its address and is followed on click or Enter.
        option.dataset.href = relative(r.target);
        const title = document.createElement('span');
        title.className = 'result-title';
        highlight(title, r.title, found.segments);
        const where = document.createElement('span');
        where.className = 'result-meta';
        where.textContent = [r.section, r.date, r.heading && '§ ' + r.heading].filter(Boolean).join(' · ');
        option.append(title, where);
        option.addEventListener('mousedown', (e) => e.preventDefault());
        option.addEventListener('click', () => { location.href = option.dataset.href; });
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
        location.href = options()[active].dataset.href;
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
    page.querySelector('[data-needs-script]')?.remove();
    const run = async () => {
      const query = form.elements.q.value.trim();
      const section = form.elements.section.value;
      const topic = form.elements.topic.value;
      const number = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
      results.replaceChildren();
      pager.replaceChildren();
      if (!query) { summary.textContent = '请输入要搜索的词，例如：下党、接待群众、滴水穿石。'; return; }
      const found = await search(query, { limit: PAGE, offset: (number - 1) * PAGE, section, topic });
      summary.textContent = found.total
        ? `${found.partial ? '没有完全匹配的结果，以下为部分匹配。' : ''}“${query}”共找到 ${found.total} 条结果${found.truncated ? '（常用词只列出最相关的部分）' : ''}。`
        : `没有找到与“${query}”相关的结果。换个说法，或减少筛选条件试试。`;
      for (const r of found.results) {
        const item = document.createElement('li');
        item.className = 'result';
        const h = document.createElement('h2');
        const link = document.createElement('a');
        link.href = relative(r.target);
        highlight(link, r.title, found.segments);
        h.append(link);
        const info = document.createElement('p');
        info.className = 'result-meta';
        info.textContent = [r.section, r.date, r.heading && '§ ' + r.heading].filter(Boolean).join(' · ');
        const text = document.createElement('p');
        text.className = 'result-snippet';
        highlight(text, await snippet(r), found.segments);
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
      e?.preventDefault();
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
