// Large type for older readers: 标准 / 大 / 特大, remembered in this browser.
// Loaded in <head> without `defer` so the size is set before the page is first drawn
// (no jump); the buttons are shown only once this script runs.
(function () {
  'use strict';
  const sizes = ['standard', 'large', 'xlarge'];
  const html = document.documentElement;
  const key = (html.dataset.storageKey || 'casebook') + ':text-size';
  const read = () => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null; // storage blocked (private mode, file:// in some browsers)
    }
  };
  const apply = (size) => {
    if (!sizes.includes(size)) size = 'standard';
    if (size === 'standard') delete html.dataset.textSize;
    else html.dataset.textSize = size;
    document.querySelectorAll('[data-text-size-choice]').forEach((button) => {
      button.setAttribute('aria-pressed', String(button.dataset.textSizeChoice === size));
    });
    return size;
  };
  apply(read());
  document.addEventListener('DOMContentLoaded', () => {
    const control = document.querySelector('[data-text-size-control]');
    if (!control) return;
    control.hidden = false;
    apply(read());
    control.addEventListener('click', (event) => {
      const button = event.target.closest('[data-text-size-choice]');
      if (!button) return;
      const size = apply(button.dataset.textSizeChoice);
      try {
        localStorage.setItem(key, size);
      } catch {
        // The size still holds for this page.
      }
    });
  });
})();
