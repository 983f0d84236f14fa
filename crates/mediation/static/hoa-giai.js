// Mediation intake helper (hòa giải ở cơ sở). The form works without this script; with it, what
// the mediator types is kept in this browser until the case is saved, so a reload or a lost
// connection loses nothing, and the exclusion fields show only when the matter is excluded.
(function () {
  "use strict";
  var form = document.getElementById("hg-form");
  var done = document.getElementById("hg-saved");
  if (done) {
    try { localStorage.removeItem("hg:" + done.getAttribute("data-team")); } catch (e) {}
  }
  if (!form) return;
  var store = "hg:" + form.getAttribute("data-team");
  function fields() { return Array.prototype.slice.call(form.elements); }
  function save() {
    var data = {};
    fields().forEach(function (el) {
      if (!el.name || el.name.charAt(0) === "_") return;
      if (el.type === "radio" || el.type === "checkbox") { if (el.checked) data[el.name] = el.value; }
      else if (el.value) data[el.name] = el.value;
    });
    try { localStorage.setItem(store, JSON.stringify(data)); } catch (e) {}
  }
  function restore() {
    if (form.getAttribute("data-fresh") !== "1") return;
    var data;
    try { data = JSON.parse(localStorage.getItem(store) || "null"); } catch (e) { data = null; }
    if (!data) return;
    fields().forEach(function (el) {
      if (!el.name || !(el.name in data)) return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = data[el.name] === el.value;
      else if (el.type !== "hidden") el.value = data[el.name];
    });
  }
  function toggle() {
    var box = document.getElementById("excluded");
    var part = document.getElementById("hg-exclusion");
    if (box && part) part.hidden = !box.checked;
  }
  restore();
  toggle();
  form.addEventListener("input", save);
  form.addEventListener("change", function () { save(); toggle(); });
})();
