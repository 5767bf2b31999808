// Error summaries (templates/form_errors.html): take focus when the page loads so that keyboard and
// screen-reader users start at the list of problems, and move focus to the field a link names.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`) || field.closest("fieldset");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
});
