/* Suspend, resume or cancel a published lot (the seller's 我的拍品 and the back office): one JSON API call
   with the reason the form gives (the server refuses an empty one: REASON_REQUIRED); a cancel is confirmed
   first since it releases every deposit. On success the page is read again from the server. */
(function () {
  'use strict';
  var P = window.Paimai;

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.matches || !form.matches('form[data-manage]')) { return; }
    event.preventDefault();
    var button = event.submitter;
    var action = button ? button.value : '';
    if (['suspend', 'resume', 'cancel'].indexOf(action) < 0) { return; }
    var box = form.querySelector('[data-message]');
    var reason = (form.querySelector('textarea[name=reason]').value || '').trim();
    if (!reason) { P.say(box, P.t('manage_reason_needed'), 'error'); return; }
    if (action === 'cancel' && !window.confirm(P.t('manage_cancel_confirm'))) { return; }
    P.postAndReload(form, form.getAttribute('data-manage') + '/' + action, { reason: reason }, button);
  });
})();
