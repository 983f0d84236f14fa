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
  var forms = document.querySelectorAll('form.ct-q');
  Array.prototype.forEach.call(forms, function (f) {
    var st = f.querySelector('.ct-saved');
    var save = function () {
      fetch(f.action, { method: 'POST', headers: { 'X-Requested-With': 'fetch', 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(new FormData(f)).toString(), credentials: 'same-origin' })
        .then(function (r) {
          if (r.status === 409) { location.reload(); return; }
          if (st) { st.textContent = r.ok ? st.dataset.ok : st.dataset.fail; }
        })
        .catch(function () { if (st) { st.textContent = st.dataset.fail; } });
    };
    f.addEventListener('change', function (e) { if (e.target.type === 'radio') { save(); } });
    f.addEventListener('input', function (e) { if (e.target.name === 'du_doan') { clearTimeout(f._t); f._t = setTimeout(save, 800); } });
  });
})();
