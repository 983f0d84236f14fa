// Questions and feedback (hỏi đáp, phản ánh): solves the proof-of-work challenge in the browser,
// so that the visitor need not answer the text question. The form works without this script:
// the server then checks the text answer instead.
(function () {
  "use strict";
  var form = document.getElementById("hd-form");
  if (!form || !window.crypto || !crypto.subtle || !window.TextEncoder) return;
  var challenge = form.getAttribute("data-challenge");
  var bits = parseInt(form.getAttribute("data-bits"), 10);
  var counter = form.querySelector("input[name='pow_counter']");
  var textCheck = document.getElementById("hd-text-check");
  var status = document.getElementById("hd-pow");
  var enc = new TextEncoder(), solved = null, start = 0;
  function zeroBits(buf) {
    var a = new Uint8Array(buf), n = 0;
    for (var i = 0; i < a.length && n < bits; i++) {
      if (a[i] === 0) { n += 8; continue; }
      var b = a[i]; while ((b & 0x80) === 0) { n++; b <<= 1; }
      break;
    }
    return n >= bits;
  }
  function batch() {
    var jobs = [];
    for (var n = start; n < start + 512; n++) jobs.push(crypto.subtle.digest("SHA-256", enc.encode(challenge + ":" + n)));
    return Promise.all(jobs).then(function (hashes) {
      for (var i = 0; i < hashes.length; i++) if (zeroBits(hashes[i])) return String(start + i);
      start += 512;
      return batch();
    });
  }
  var work = batch().then(function (n) {
    solved = n; counter.value = n;
    if (textCheck && !textCheck.querySelector("[aria-invalid]")) textCheck.hidden = true;
    return n;
  });
  form.addEventListener("submit", function (ev) {
    if (solved !== null) { counter.value = solved; return; }
    ev.preventDefault();
    if (status) status.textContent = form.getAttribute("data-working") || "";
    work.then(function (n) { counter.value = n; form.submit(); });
  });
})();
