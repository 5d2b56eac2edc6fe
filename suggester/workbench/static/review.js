// The review page's few behaviours: keyboard moves (j/k), decisions (a/o/r) through the JSON
// API, the coder's name kept in localStorage, and the token prompt when the service has one.
// Plain JavaScript, no build step; report text is never put into the page as HTML here.
(function () {
  "use strict";
  var COOKIE = "suggester_token";

  function token() {
    var m = document.cookie.match(/(?:^|;\s*)suggester_token=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : null;
  }

  var login = document.getElementById("login");
  if (login) {
    login.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var value = document.getElementById("token").value.trim();
      document.cookie = COOKIE + "=" + encodeURIComponent(value) + "; path=/; SameSite=Strict";
      location.reload();
    });
    return;
  }

  var coder = document.getElementById("coder");
  coder.value = localStorage.getItem("suggester.coder") || "";
  coder.addEventListener("change", function () {
    localStorage.setItem("suggester.coder", coder.value.trim());
  });

  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.item"));
  var current = rows.findIndex(function (r) { return r.classList.contains("selected"); });
  var report = document.getElementById("report");
  var error = document.getElementById("error");

  function go(delta) {
    if (!rows.length) return;
    var next = Math.min(rows.length - 1, Math.max(0, (current < 0 ? -delta : current) + delta));
    if (next !== current) location.href = rows[next].querySelector("a").href;
  }

  function showError(msg) {
    error.textContent = msg;
    error.hidden = false;
  }

  function parseLines(text) {
    // "73562 26 RT", "73562-26-RT x2", one per line (or separated by ';')
    return text.split(/[\n;]+/).map(function (l) { return l.trim(); }).filter(Boolean).map(function (l) {
      var parts = l.split(/[\s,-]+/).filter(Boolean);
      var line = {code: parts.shift().toUpperCase(), modifiers: [], units: 1};
      parts.forEach(function (p) {
        var u = p.match(/^x(\d+)$/i);
        if (u) line.units = parseInt(u[1], 10); else line.modifiers.push(p.toUpperCase());
      });
      return line;
    });
  }

  function decide(action) {
    if (!report) return;
    var who = coder.value.trim();
    if (!who) { showError("Enter your name in the coder box first."); coder.focus(); return; }
    localStorage.setItem("suggester.coder", who);
    var body = {action: action, coder: who};
    var note = document.getElementById("note").value.trim();
    if (note) body.note = note;
    if (action === "override") {
      body.codes = parseLines(document.getElementById("override-codes").value);
      if (!body.codes.length) { showError("Type the corrected code lines first."); return; }
    }
    var headers = {"Content-Type": "application/json"};
    var t = token();
    if (t) headers.Authorization = "Bearer " + t;
    fetch("/v1/worklist/" + encodeURIComponent(report.dataset.id) + "/decision",
          {method: "POST", headers: headers, body: JSON.stringify(body), credentials: "same-origin"})
      .then(function (r) {
        return r.json().then(function (j) { return {ok: r.ok, body: j}; });
      })
      .then(function (res) {
        if (!res.ok) { showError((res.body.error && res.body.error.message) || "the decision was not recorded"); return; }
        location.reload();
      })
      .catch(function (e) { showError("the decision was not recorded: " + e); });
  }

  var buttons = {accept: "accept", reject: "reject", override: "override"};
  Object.keys(buttons).forEach(function (id) {
    var b = document.getElementById(id);
    if (b) b.addEventListener("click", function () { decide(buttons[id]); });
  });

  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || ev.ctrlKey || ev.metaKey || ev.altKey) {
      if (ev.key === "Escape") ev.target.blur();
      return;
    }
    if (ev.key === "j") go(1);
    else if (ev.key === "k") go(-1);
    else if (ev.key === "a") decide("accept");
    else if (ev.key === "r") decide("reject");
    else if (ev.key === "o") { ev.preventDefault(); var o = document.getElementById("override-codes"); if (o) o.focus(); }
    else return;
  });

  var sel = rows[current];
  if (sel) sel.scrollIntoView({block: "nearest"});
})();
