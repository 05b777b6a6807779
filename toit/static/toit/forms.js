// After a validation error, move focus to the form's error summary (includes/form_errors.html),
// on a full page and after an htmx swap, so that keyboard and screen-reader users land on it.
// After an outerHTML swap the event's target is the element replaced: look in the document.
(function () {
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  focusSummary();
  document.body.addEventListener("htmx:afterSettle", focusSummary);
})();
