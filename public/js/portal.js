// Small enhancements for the end-user pages. Every page works without this file: it only reports
// that the page was seen, offers "show password", keeps a form from being sent twice by a double
// tap, and counts down the bank's session.
(function () {
  'use strict';

  function reportSeen(main) {
    var url = main.getAttribute('data-seen-url');
    var token = main.getAttribute('data-csrf-token');
    if (!url || !token || !window.fetch) return;
    window
      .fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': token } })
      .catch(function () {
        /* Only a record that the page was opened: nothing for the person to do. */
      });
  }

  function enableReveal(button) {
    var input = document.getElementById(button.getAttribute('data-reveal'));
    if (!input) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.setAttribute('aria-pressed', show ? 'true' : 'false');
      input.focus();
    });
  }

  function guardDoubleSubmit(form) {
    var sent = false;
    form.addEventListener('submit', function (event) {
      if (sent) {
        event.preventDefault();
        return;
      }
      sent = true;
      var button = form.querySelector('button[type="submit"]');
      var label = form.getAttribute('data-submitting');
      if (button) {
        button.setAttribute('aria-disabled', 'true');
        if (label) button.textContent = label;
      }
      // A shown password goes back to hidden, so the browser does not keep it as ordinary text.
      form.querySelectorAll('button[data-reveal]').forEach(function (reveal) {
        var input = document.getElementById(reveal.getAttribute('data-reveal'));
        if (input) input.type = 'password';
        reveal.setAttribute('aria-pressed', 'false');
      });
    });
  }

  function startCountdown(element) {
    var seconds = Number(element.getAttribute('data-countdown'));
    if (!(seconds >= 0)) return;
    var endsAt = Date.now() + seconds * 1000;
    function text(name) {
      return element.getAttribute('data-text-' + name) || '';
    }
    function render() {
      var left = Math.max(0, Math.floor((endsAt - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      if (left === 0) {
        element.textContent = text('ended');
        element.setAttribute('role', 'status');
        return false;
      }
      element.textContent =
        minutes >= 2 ? text('many').replace('{minutes}', String(minutes)) : minutes === 1 ? text('one') : text('under-one');
      return true;
    }
    var timer = window.setInterval(function () {
      if (!render()) window.clearInterval(timer);
    }, 1000);
  }

  function init() {
    var main = document.querySelector('main[data-state]');
    if (main) reportSeen(main);
    document.querySelectorAll('button[data-reveal]').forEach(enableReveal);
    document.querySelectorAll('form[method="post"]').forEach(guardDoubleSubmit);
    document.querySelectorAll('[data-countdown]').forEach(startCountdown);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
