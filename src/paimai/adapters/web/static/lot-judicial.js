/* A judicial lot's tabs (标的物介绍 / 拍卖公告 / 竞买须知 / 竞价记录): the tabs are anchors to their sections,
   so without this script every section shows and a tab jumps to it; with it one section shows at a time,
   the one named by the address's #fragment (标的物介绍 first). */
(function () {
  'use strict';
  var nav = document.querySelector('[data-lot-tabs]');
  if (!nav) { return; }
  var tabs = nav.querySelectorAll('[data-tab]');
  var names = [];
  for (var i = 0; i < tabs.length; i++) { names.push(tabs[i].getAttribute('data-tab')); }

  function select(name) {
    if (names.indexOf(name) < 0) { name = names[0]; }
    for (var k = 0; k < names.length; k++) {
      var panel = document.getElementById(names[k]);
      if (panel) { panel.hidden = names[k] !== name; }
      tabs[k].classList.toggle('active', names[k] === name);
      if (names[k] === name) { tabs[k].setAttribute('aria-current', 'true'); } else { tabs[k].removeAttribute('aria-current'); }
    }
  }

  nav.classList.add('tabs-js');
  window.addEventListener('hashchange', function () { select(location.hash.slice(1)); });
  select(location.hash.slice(1));
})();
