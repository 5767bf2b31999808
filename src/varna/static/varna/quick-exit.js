// "Leave this page quickly" (templates/_quick_exit.html); the link works without this file.
// - The exit replaces the page, so Back does not return to where the person was.
// - Escape pressed twice leaves as well; the hint next to the button says so only once the shortcut works.
(function () {
  "use strict";
  var pressedAt = 0;
  function leave(link) { window.location.replace(link.getAttribute("href")); }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-quick-exit]");
    if (link) { event.preventDefault(); leave(link); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    var link = document.querySelector("[data-quick-exit]");
    if (link && now - pressedAt < 800) { leave(link); }
    pressedAt = now;
  });
  document.querySelectorAll("[data-quick-exit-hint]").forEach(function (hint) { hint.hidden = false; });
}());
