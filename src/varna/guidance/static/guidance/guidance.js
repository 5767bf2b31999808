// Progressive enhancement for the guide; every page works without this file.
// The result page gets a print button (without JavaScript the page tells you to print from the browser).
// "Leave this page quickly" is varna/quick-exit.js, on every public page.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
  document.querySelectorAll("[data-print]").forEach(function (button) { button.hidden = false; });
}());
