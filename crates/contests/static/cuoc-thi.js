// The contest attempt: counts the server's remaining time down and saves each answer as it is
// chosen. Without this script every question has its own "Lưu" button and the page still works.
(function () {
  var t = document.getElementById('ct-timer');
  if (t) {
    var end = Date.now() + 1000 * parseInt(t.dataset.remaining, 10);
    var grace = parseInt(t.dataset.grace, 10) || 0;
    var tick = function () {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      t.textContent = Math.floor(s / 60) + ':' + ('0' + (s % 60)).slice(-2);
      if (s > 0) { setTimeout(tick, 1000); } else { setTimeout(function () { location.reload(); }, (grace + 1) * 1000); }
    };
    tick();
  }
  // Saves of one question go one after another (the last choice is the one kept); submitting
  // waits until every save in flight has been answered, so no answer is overtaken by the close.
  var pending = 0, waiting = [];
  var settle = function () { pending -= 1; if (pending === 0) { waiting.splice(0).forEach(function (w) { w(); }); } };
  var forms = document.querySelectorAll('form.ct-q');
  Array.prototype.forEach.call(forms, function (f) {
    var st = f.querySelector('.ct-saved');
    var last = Promise.resolve();
    var save = function () {
      var body = new URLSearchParams(new FormData(f)).toString();
      pending += 1;
      last = last.then(function () {
        return fetch(f.action, { method: 'POST', headers: { 'X-Requested-With': 'fetch', 'Content-Type': 'application/x-www-form-urlencoded' }, body: body, credentials: 'same-origin' })
          .then(function (r) {
            if (r.status === 409) { location.reload(); return; }
            if (st) { st.textContent = r.ok ? st.dataset.ok : st.dataset.fail; }
          })
          .catch(function () { if (st) { st.textContent = st.dataset.fail; } });
      }).then(settle, settle);
    };
    f.addEventListener('change', function (e) { if (e.target.type === 'radio') { save(); } });
    f.addEventListener('input', function (e) { if (e.target.name === 'du_doan') { clearTimeout(f._t); f._t = setTimeout(save, 800); } });
  });
  var submit = document.querySelector('form[action$="/nop"]');
  if (submit) {
    submit.addEventListener('submit', function (e) {
      if (pending > 0) { e.preventDefault(); waiting.push(function () { submit.submit(); }); }
    });
  }
})();
