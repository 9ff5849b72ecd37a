// The presenter view of a lesson: one slide at a time, moved by the keys a presentation
// clicker sends (arrows, Page Up/Down), a clock against the lesson's length, full
// screen, and a speaker view with the next slide and the teacher's notes. Without this
// script the slides are simply one page after another.
(function () {
  'use strict';
  var deck = document.querySelector('[data-deck]');
  if (!deck) return;
  var slides = Array.prototype.slice.call(deck.querySelectorAll('.slide'));
  if (!slides.length) return;
  var root = document.documentElement;
  var count = document.querySelector('[data-count]');
  var speaker = document.querySelector('[data-speaker]');
  var nextBox = document.querySelector('[data-next]');
  var notesBox = document.querySelector('[data-notes]');
  var current = 0;

  root.classList.add('presenting');

  // Shrinks a slide's type until its text fits (long sections on a 1024×768 projector).
  function fit(slide) {
    var scale = 1;
    slide.style.setProperty('--fit', '1');
    while (slide.scrollHeight > slide.clientHeight + 1 && scale > 0.4) {
      scale = Math.round((scale - 0.05) * 100) / 100;
      slide.style.setProperty('--fit', String(scale));
    }
  }

  function fromHash() {
    var match = /^#slide-(\d+)$/.exec(location.hash);
    var n = match ? parseInt(match[1], 10) - 1 : 0;
    return Math.min(Math.max(n, 0), slides.length - 1);
  }

  function show(n) {
    current = Math.min(Math.max(n, 0), slides.length - 1);
    slides.forEach(function (slide, i) {
      slide.hidden = i !== current;
      if (i === current) slide.setAttribute('aria-current', 'step');
      else slide.removeAttribute('aria-current');
    });
    fit(slides[current]);
    if (count) count.textContent = (current + 1) + ' / ' + slides.length;
    try {
      history.replaceState(null, '', '#' + slides[current].id);
    } catch (e) {
      // Some browsers refuse history changes on file:// pages; the slide still shows.
    }
    if (!speaker.hidden) fillSpeaker();
  }

  function clear(box) {
    while (box.firstChild) box.removeChild(box.firstChild);
  }

  function fillSpeaker() {
    clear(nextBox);
    clear(notesBox);
    var next = slides[current + 1];
    if (next) {
      var copy = next.cloneNode(true);
      copy.removeAttribute('id');
      copy.hidden = false;
      Array.prototype.forEach.call(copy.querySelectorAll('[id]'), function (el) {
        el.removeAttribute('id');
      });
      nextBox.appendChild(copy);
    } else {
      nextBox.textContent = '（最后一张）';
    }
    var notes = slides[current].querySelectorAll('.speaker-notes');
    if (!notes.length) notesBox.textContent = '（本张没有讲稿）';
    Array.prototype.forEach.call(notes, function (note) {
      var copy = note.cloneNode(true);
      copy.hidden = false;
      notesBox.appendChild(copy);
    });
  }

  function toggleSpeaker() {
    speaker.hidden = !speaker.hidden;
    root.classList.toggle('speaker-view', !speaker.hidden);
    if (!speaker.hidden) fillSpeaker();
    fit(slides[current]);
  }

  function toggleFullScreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (root.requestFullscreen) {
      root.requestFullscreen().catch(function () {});
    }
  }

  // The clock runs from when the view was opened; a reload keeps it running.
  var clock = document.querySelector('[data-clock]');
  var elapsedBox = clock && clock.querySelector('[data-elapsed]');
  var total = clock ? parseInt(clock.getAttribute('data-total'), 10) * 60 : 0;
  var key = 'casebook:slides-start:' + location.pathname;
  var start = Date.now();
  try {
    var kept = parseInt(sessionStorage.getItem(key), 10);
    if (kept > 0 && kept <= start) start = kept;
    else sessionStorage.setItem(key, String(start));
  } catch (e) {
    // No storage (a private window): the clock starts now.
  }

  function tick() {
    if (!elapsedBox) return;
    var seconds = Math.floor((Date.now() - start) / 1000);
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    elapsedBox.textContent = minutes + ':' + (rest < 10 ? '0' : '') + rest;
    clock.classList.toggle('over', seconds > total);
  }

  function resetClock() {
    start = Date.now();
    try {
      sessionStorage.setItem(key, String(start));
    } catch (e) {
      // As above.
    }
    tick();
  }

  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case 'ArrowRight':
      case 'ArrowDown':
      case 'PageDown':
        show(current + 1);
        break;
      case ' ':
        show(event.shiftKey ? current - 1 : current + 1);
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
      case 'PageUp':
        show(current - 1);
        break;
      case 'Home':
        show(0);
        break;
      case 'End':
        show(slides.length - 1);
        break;
      case 'f':
      case 'F':
        toggleFullScreen();
        break;
      case 'p':
      case 'P':
        toggleSpeaker();
        break;
      case 'r':
      case 'R':
        resetClock();
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  window.addEventListener('hashchange', function () {
    if (fromHash() !== current) show(fromHash());
  });
  window.addEventListener('resize', function () {
    fit(slides[current]);
  });

  show(fromHash());
  tick();
  setInterval(tick, 1000);
})();
