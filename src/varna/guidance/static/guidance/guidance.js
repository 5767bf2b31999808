// Progressive enhancement for the guide; every page works without this file.
// - "Leave this page quickly" replaces the page, so Back does not return to the guide.
// - The result page gets a print button (without JavaScript the page tells you to print from the browser).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var exit = event.target.closest("[data-quick-exit]");
    if (exit) {
      event.preventDefault();
      window.location.replace(exit.getAttribute("href"));
      return;
    }
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
  document.addEventListener("keydown", function (event) {
    // Escape pressed twice leaves quickly as well.
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (window.__varnaEscape && now - window.__varnaEscape < 800) {
      var exit = document.querySelector("[data-quick-exit]");
      if (exit) { window.location.replace(exit.getAttribute("href")); }
    }
    window.__varnaEscape = now;
  });
  document.querySelectorAll("[data-print]").forEach(function (button) { button.hidden = false; });
}());
