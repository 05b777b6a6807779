// After a validation error, move focus to the form's error summary (includes/form_errors.html),
// on a full page and after an htmx swap, so that keyboard and screen-reader users land on it.
(function () {
  function focusSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  focusSummary(document);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    focusSummary(event.detail.target);
  });
})();
