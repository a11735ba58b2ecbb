// The live desk: fetches /desk/live (the same template the page includes, rendered and escaped on the server) every
// few seconds and puts it in place, so the page never reloads. The only script of the admin: its CSP allows it on
// /desk alone (script-src 'self'; connect-src 'self'). A session that ended sends the browser to the login page.
(function () {
  "use strict";
  var live = document.getElementById("desk-live");
  var status = document.getElementById("desk-status");
  if (!live) { return; }
  var every = Math.max(1, Number(live.getAttribute("data-refresh")) || 2) * 1000;
  var source = live.getAttribute("data-source");
  var shown = live.innerHTML;

  function say(text) { if (status) { status.textContent = text; } }

  // a keyboard user on a case link keeps their place when the desk is replaced around it
  function replace(html) {
    var focused = document.activeElement;
    var href = focused && live.contains(focused) ? focused.getAttribute("href") : null;
    live.innerHTML = html;
    if (href) {
      var again = live.querySelector('a[href="' + href.replace(/["\\]/g, "") + '"]');
      if (again) { again.focus(); }
    }
  }

  function refresh() {
    fetch(source, { credentials: "same-origin", cache: "no-store", redirect: "manual", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 303) { window.location.assign("/login"); throw new Error("logged out"); }
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.text();
      })
      .then(function (html) {
        if (html !== shown) { replace(html); shown = html; }
        say("Live: updates every " + every / 1000 + " s.");
      })
      .catch(function () { say("Not updating: the admin cannot be reached. Trying again…"); })
      .then(function () { window.setTimeout(refresh, every); });
  }

  window.setTimeout(refresh, every);
}());
