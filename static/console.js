// The organizers' console: keeps the attendance figures on the doors page current while the
// page is open (every 10 seconds, paused while the tab is hidden). Without JavaScript the
// page shows the figures of its loading and a link to load them again.
(function () {
  "use strict";
  var box = document.querySelector("[data-live]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-live");
  function refresh() {
    if (document.hidden) { return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) { box.innerHTML = html; } })
      .catch(function () { /* offline: keep the last figures */ });
  }
  setInterval(refresh, 10000);
  document.addEventListener("visibilitychange", refresh);
}());
