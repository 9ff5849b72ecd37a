// Timeline filters: by place, topic and section, combinable, kept in the URL hash
// (#place=寿宁&topic=…) so a filtered view can be shared. The page is complete without
// this script; it only hides what does not match.
(function () {
  'use strict';
  const root = document.querySelector('[data-timeline]');
  const form = root && root.querySelector('[data-filters]');
  if (!form) return;
  const events = Array.from(root.querySelectorAll('.event'));
  const years = Array.from(root.querySelectorAll('.year'));
  const shown = root.querySelector('[data-shown]');
  const empty = root.querySelector('[data-empty]');
  const yearLinks = Array.from(root.querySelectorAll('.year-index a'));
  const fields = { place: 'places', topic: 'topics', section: 'section' };

  function stateFromHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    const state = {};
    for (const name of Object.keys(fields)) state[name] = params.get(name) || '';
    return state;
  }

  function hashOf(state) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(state)) if (value) params.set(name, value);
    const text = params.toString();
    return text ? '#' + text : '';
  }

  function apply(state) {
    let count = 0;
    for (const event of events) {
      const match = Object.entries(fields).every(([name, data]) => {
        const wanted = state[name];
        if (!wanted) return true;
        return (event.dataset[data] || '').split('|').includes(wanted);
      });
      event.hidden = !match;
      if (match) count += 1;
    }
    for (const year of years) year.hidden = !year.querySelector('.event:not([hidden])');
    shown.textContent = String(count);
    empty.hidden = count !== 0;
    // Year links of a paged timeline carry the filter to the other years.
    const hash = hashOf(state);
    for (const link of yearLinks) {
      if (!link.getAttribute('href').startsWith('#')) link.hash = hash;
    }
  }

  function fromHash() {
    const state = stateFromHash();
    for (const [name, value] of Object.entries(state)) {
      const select = form.elements[name];
      // A value the page does not offer (an old link) still filters, visibly.
      if (value && !Array.from(select.options).some((o) => o.value === value)) {
        select.add(new Option(value, value));
      }
      select.value = value;
    }
    apply(state);
  }

  function fromForm() {
    const state = {};
    for (const name of Object.keys(fields)) state[name] = form.elements[name].value;
    const hash = hashOf(state);
    history.replaceState(null, '', hash || location.pathname + location.search);
    apply(state);
  }

  form.hidden = false;
  form.addEventListener('change', fromForm);
  form.addEventListener('reset', () => setTimeout(fromForm, 0));
  form.addEventListener('submit', (e) => e.preventDefault());
  window.addEventListener('hashchange', () => {
    if (!/^#y\d+$/.test(location.hash)) fromHash();
  });
  if (!/^#y\d+$/.test(location.hash)) fromHash();
})();
