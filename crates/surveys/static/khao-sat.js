// Survey page helpers (khảo sát). The page works without this script; with it, answers are kept
// in this browser until they are sent, questions whose condition is not met are hidden, and the
// proof-of-work challenge (when the survey asks for one) is solved before sending.
(function () {
  "use strict";
  var form = document.getElementById("ks-form");
  var done = document.getElementById("ks-done");
  if (done) {
    try { localStorage.removeItem("ks:" + done.getAttribute("data-token")); } catch (e) {}
    return;
  }
  if (!form) return;
  var store = "ks:" + form.getAttribute("data-token");
  function fields() { return Array.prototype.slice.call(form.elements); }
  function save() {
    var data = {};
    fields().forEach(function (el) {
      if (!el.name || el.name.charAt(0) === "_" || el.name.indexOf("pow_") === 0) return;
      if ((el.type === "radio" || el.type === "checkbox")) {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else if (el.value) { data[el.name] = [el.value]; }
    });
    try { localStorage.setItem(store, JSON.stringify(data)); } catch (e) {}
  }
  function restore() {
    if (form.getAttribute("data-fresh") !== "1") return;
    var data;
    try { data = JSON.parse(localStorage.getItem(store) || "null"); } catch (e) { data = null; }
    if (!data) return;
    fields().forEach(function (el) {
      var v = data[el.name];
      if (!v) return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = v.indexOf(el.value) >= 0;
      else if (el.tagName === "SELECT" || el.type !== "hidden") el.value = v[0];
    });
  }
  function answer(key) {
    var out = [];
    fields().forEach(function (el) {
      if (el.name !== "a_" + key) return;
      if (el.type === "radio" || el.type === "checkbox") { if (el.checked) out.push(el.value); }
      else if (el.value.trim()) out.push(el.value.trim());
    });
    return out;
  }
  function num(s) {
    var t = s.replace(/\s/g, "");
    if (t.indexOf(",") >= 0) t = t.replace(/\./g, "").replace(",", ".");
    else if (/^\d{1,3}(\.\d{3})+$/.test(t)) t = t.replace(/\./g, "");
    return parseFloat(t);
  }
  function conditions() {
    var blocks = form.querySelectorAll("[data-if-key]");
    for (var i = 0; i < blocks.length; i++) {
      var b = blocks[i], key = b.getAttribute("data-if-key"), op = b.getAttribute("data-if-op");
      var val = b.getAttribute("data-if-value") || "", a = answer(key), show;
      var hidden = form.querySelector("[data-key='" + key + "']");
      if (hidden && hidden.hidden) a = [];
      if (op === "answered") show = a.length > 0;
      else if (op === "equals" || op === "includes") show = a.indexOf(val) >= 0;
      else if (op === "one_of") show = a.length > 0 && val.split("|").indexOf(a[0]) >= 0;
      else if (op === "at_least") show = a.length > 0 && num(a[0]) >= parseFloat(val);
      else if (op === "at_most") show = a.length > 0 && num(a[0]) <= parseFloat(val);
      else show = true;
      b.hidden = !show;
    }
  }
  // Proof of work: SHA-256("challenge:n") must start with `bits` zero bits.
  var challenge = form.getAttribute("data-challenge");
  var solved = null;
  function zeroBits(buf, bits) {
    var a = new Uint8Array(buf), n = 0;
    for (var i = 0; i < a.length && n < bits; i++) {
      if (a[i] === 0) { n += 8; continue; }
      var b = a[i]; while ((b & 0x80) === 0) { n++; b <<= 1; }
      break;
    }
    return n >= bits;
  }
  function solve() {
    if (!challenge || !window.crypto || !crypto.subtle) return Promise.resolve(null);
    var bits = parseInt(form.getAttribute("data-bits"), 10), enc = new TextEncoder(), start = 0;
    function batch() {
      var jobs = [];
      for (var n = start; n < start + 512; n++) {
        jobs.push(crypto.subtle.digest("SHA-256", enc.encode(challenge + ":" + n)));
      }
      return Promise.all(jobs).then(function (hashes) {
        for (var i = 0; i < hashes.length; i++) if (zeroBits(hashes[i], bits)) return String(start + i);
        start += 512;
        return batch();
      });
    }
    return batch();
  }
  var work = challenge ? solve().then(function (n) { solved = n; return n; }) : null;
  form.addEventListener("submit", function (ev) {
    save();
    if (!challenge) return;
    var counter = form.querySelector("input[name='pow_counter']");
    if (solved !== null) { counter.value = solved; return; }
    ev.preventDefault();
    var status = document.getElementById("ks-pow");
    if (status) status.textContent = "Đang kiểm tra chống gửi tự động, xin chờ giây lát…";
    work.then(function (n) { if (n !== null) { counter.value = n; form.submit(); } });
  });
  form.addEventListener("change", function () { conditions(); save(); });
  form.addEventListener("input", save);
  restore();
  conditions();
})();
