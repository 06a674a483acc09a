/* The back office's queues: approve or reject an application or a lot (a rejection needs a reason, which
   the server checks too), freeze or unfreeze an account with
   a reason (the API may refuse, e.g. FREEZE_NOT_ALLOWED for a staff account: its message is shown). Each is one JSON API call with the
   CSRF header; on success the queue is re-read from the server, where the truth lives. */
(function () {
  'use strict';
  var P = window.Paimai;

  var submit = P.postAndReload;

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.matches || !form.matches('form[data-decide], form[data-freeze]')) { return; }
    event.preventDefault();
    var button = event.submitter;
    var reason = (form.querySelector('textarea[name=reason]').value || '').trim();
    var box = form.querySelector('[data-message]');
    if (form.hasAttribute('data-freeze')) {
      if (!reason) { P.say(box, P.t('staff_reason_needed'), 'error'); return; }
      var path = form.getAttribute('data-freeze');
      var freezing = /\/freeze$/.test(path);
      if (freezing && !window.confirm(P.t('staff_freeze_confirm'))) { return; }
      submit(form, path, { reason: reason }, button);
      return;
    }
    var decision = button && button.value === 'reject' ? 'reject' : 'approve';
    if (decision === 'reject' && !reason) { P.say(box, P.t('staff_reason_needed'), 'error'); return; }
    submit(form, form.getAttribute('data-decide') + '/' + decision, reason ? { reason: reason } : {}, button);
  });
})();
