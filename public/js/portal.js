// Small enhancements for the end-user pages. Every page works without this file: it only reports
// that the page was seen, brings the reason a page asks again to screen readers, offers "show
// password", keeps a form from being sent twice by a double tap, counts down the bank's session,
// shows "Try again" once the time the page gives has come, and hides a bank logo that cannot load.
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
        // The live region comes first, so that the text put into it next is announced.
        element.setAttribute('role', 'status');
        element.textContent = text('ended');
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

  // Counted from when the page arrived, in seconds the server worked out: the phone's clock may be off.
  function showRetryWhenDue(button) {
    var seconds = Number(button.getAttribute('data-retry-in'));
    if (!(seconds > 0)) return;
    window.setTimeout(function () {
      button.hidden = false;
    }, seconds * 1000);
  }

  // A role="alert" that is already in the page when it loads is not read out by every screen
  // reader; focus is, and it also brings the message into view.
  function focusMessage() {
    var message = document.getElementById('page-message');
    if (message) message.focus();
  }

  // The bank's logo comes from Belvo's servers; when it cannot load, no broken-image box is shown.
  function hideBrokenLogo(img) {
    function hide() {
      img.hidden = true;
    }
    if (img.complete && img.naturalWidth === 0) hide();
    else img.addEventListener('error', hide);
  }

  function init() {
    var main = document.querySelector('main[data-state]');
    if (main) reportSeen(main);
    focusMessage();
    document.querySelectorAll('button[data-reveal]').forEach(enableReveal);
    document.querySelectorAll('form[method="post"]').forEach(guardDoubleSubmit);
    document.querySelectorAll('[data-countdown]').forEach(startCountdown);
    document.querySelectorAll('[data-retry-in]').forEach(showRetryWhenDue);
    document.querySelectorAll('img.institution-logo').forEach(hideBrokenLogo);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
