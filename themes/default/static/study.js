// Study aids: read marks with progress, notes, self-test checking, export and import.
// Everything stays in this browser's localStorage, under a key of this site only; no
// request is made. Pages are complete without this script; it only adds controls.
(function () {
  'use strict';
  const script = document.currentScript;
  const root = new URL('.', script ? script.src : location.href);
  const key = document.documentElement.dataset.storageKey || 'casebook';

  // A page id is the page's path under the site root (`cases/三进下党/`): never a
  // scheme, an absolute path or a way out of the site. Anything else, say from an
  // imported file, would become a link that runs script (`javascript:`) or leaves.
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const isText = (v, max) => typeof v === 'string' && v.length <= max;
  function isPageId(id) {
    if (!isText(id, 2048) || id === '' || id === '__proto__') return false;
    if (/[\u0000-\u001f\u007f\\]/.test(id) || id.startsWith('/') || /^[^/?#]*:/.test(id)) return false;
    if (id.split('/').some((part) => part === '..' || part === '.')) return false;
    try {
      return new URL(id, root).href.startsWith(root.href);
    } catch {
      return false;
    }
  }
  const validEntry = {
    read: (v) => typeof v === 'number' && Number.isFinite(v),
    notes: (v) => isObject(v) && isText(v.text, 100000) && (v.title === undefined || isText(v.title, 1000))
      && (v.updated === undefined || (typeof v.updated === 'number' && Number.isFinite(v.updated))),
    answers: (v) => isObject(v) && Object.values(v).every((a) => isText(a, 10000)),
  };
  // Keeps only well-formed entries of well-formed parts; `null` when `raw` is not a
  // casebook record at all.
  function checked(raw) {
    if (!isObject(raw)) return null;
    const data = { read: {}, notes: {}, answers: {} };
    for (const part of Object.keys(data)) {
      const entries = raw[part];
      if (entries === undefined) continue;
      if (!isObject(entries)) return null;
      for (const [id, value] of Object.entries(entries)) {
        if (isPageId(id) && validEntry[part](value)) data[part][id] = value;
      }
    }
    return data;
  }

  function loadData() {
    try {
      return checked(JSON.parse(localStorage.getItem(key) || '{}')) || { read: {}, notes: {}, answers: {} };
    } catch {
      return { read: {}, notes: {}, answers: {} };
    }
  }
  function saveData(data) {
    try {
      localStorage.setItem(key, JSON.stringify({ version: 1, ...data }));
      return true;
    } catch {
      return false;
    }
  }
  const pageUrl = (id) => new URL(id.endsWith('/') ? id + 'index.html' : id, root).href;

  function setUpPage(data) {
    const tools = document.querySelector('[data-study]');
    if (!tools) return;
    const id = tools.dataset.pageId;
    const title = tools.dataset.pageTitle;
    tools.hidden = false;
    const toggle = tools.querySelector('[data-read-toggle]');
    const show = () => {
      const read = Boolean(data.read[id]);
      toggle.setAttribute('aria-pressed', String(read));
      toggle.textContent = read ? '已读（点击取消）' : '标为已读';
    };
    toggle.addEventListener('click', () => {
      if (data.read[id]) delete data.read[id]; else data.read[id] = Date.now();
      saveData(data);
      show();
    });
    show();
    const note = tools.querySelector('[data-note]');
    note.value = (data.notes[id] && data.notes[id].text) || '';
    note.addEventListener('input', () => {
      if (note.value.trim()) data.notes[id] = { title, text: note.value, updated: Date.now() };
      else delete data.notes[id];
      saveData(data);
    });
  }

  function setUpQuiz(data) {
    const quiz = document.querySelector('[data-quiz]');
    const tools = document.querySelector('[data-study]');
    if (!quiz) return;
    const id = tools ? tools.dataset.pageId : location.pathname;
    const saved = data.answers[id] || {};
    for (const item of quiz.querySelectorAll('[data-question]')) {
      const name = item.dataset.question;
      const kind = item.dataset.kind;
      const inputs = Array.from(item.querySelectorAll('input'));
      const result = item.querySelector('[data-result]');
      item.querySelector('[data-check-row]').hidden = false;
      const value = () => {
        if (kind === 'blank') return inputs[0].value.trim();
        return inputs.filter((i) => i.checked).map((i) => i.value).join('|');
      };
      const restore = saved[name];
      if (restore !== undefined) {
        if (kind === 'blank') inputs[0].value = restore;
        else for (const i of inputs) i.checked = restore.split('|').includes(i.value);
      }
      item.querySelector('[data-check]').addEventListener('click', () => {
        const given = value();
        const answer = item.dataset.answer;
        const right = kind === 'blank'
          ? answer.split('|').some((a) => a.trim() === given)
          : given === answer;
        item.classList.toggle('is-right', right);
        item.classList.toggle('is-wrong', !right);
        result.textContent = given ? (right ? '✓ 回答正确' : '✗ 回答有误，请看解析') : '请先作答';
        if (given) item.querySelector('details').open = true;
        data.answers[id] = { ...(data.answers[id] || {}), [name]: given };
        saveData(data);
      });
    }
  }

  function setUpLists(data) {
    for (const card of document.querySelectorAll('[data-page-id].card')) {
      const read = Boolean(data.read[card.dataset.pageId]);
      card.classList.toggle('is-read', read);
      const badge = card.querySelector('.read-badge');
      if (badge) badge.hidden = !read;
    }
    for (const row of document.querySelectorAll('[data-progress]')) {
      const ids = row.dataset.pages.split('|').filter(Boolean);
      const done = ids.filter((i) => data.read[i]).length;
      row.hidden = false;
      const bar = row.querySelector('progress');
      bar.max = ids.length;
      bar.value = done;
      row.querySelector('[data-progress-text]').textContent = `已读 ${done} / ${ids.length} 篇`;
    }
  }

  function setUpNotesPage(data) {
    const page = document.querySelector('[data-notes-page]');
    if (!page) return;
    const fallback = page.querySelector('[data-needs-script]');
    if (fallback) fallback.remove();
    const list = page.querySelector('[data-notes-list]');
    const draw = () => {
      list.textContent = '';
      const entries = Object.entries(data.notes).sort((a, b) => b[1].updated - a[1].updated);
      page.querySelector('[data-notes-empty]').hidden = entries.length > 0;
      for (const [id, note] of entries) {
        const item = document.createElement('li');
        const link = document.createElement('a');
        if (isPageId(id)) link.href = pageUrl(id);
        link.textContent = note.title || id;
        const text = document.createElement('p');
        text.className = 'note-text';
        text.textContent = note.text;
        item.append(link, text);
        list.append(item);
      }
    };
    draw();
    const backup = page.querySelector('[data-backup]');
    const status = page.querySelector('[data-backup-status]');
    backup.hidden = false;
    page.querySelector('[data-export]').addEventListener('click', () => {
      const blob = new Blob([JSON.stringify({ casebook: 1, site: key, ...data }, null, 2)], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'casebook-学习记录.json';
      document.body.append(a);
      a.click();
      a.remove();
      status.textContent = '已导出。';
    });
    page.querySelector('[data-import]').addEventListener('change', async (e) => {
      const file = e.target.files[0];
      if (!file) return;
      try {
        const raw = JSON.parse(await new Response(file).text());
        const imported = raw && raw.casebook === 1 ? checked(raw) : null;
        if (!imported) throw new Error('not a casebook record');
        for (const part of ['read', 'notes', 'answers']) {
          data[part] = { ...data[part], ...imported[part] };
        }
        saveData(data);
        draw();
        status.textContent = '已导入。';
      } catch {
        status.textContent = '这个文件无法读取：请选择导出的 JSON 文件。';
      }
    });
  }

  function start() {
    const data = loadData();
    setUpPage(data);
    setUpQuiz(data);
    setUpLists(data);
    setUpNotesPage(data);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
