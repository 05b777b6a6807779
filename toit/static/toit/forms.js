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

// A select whose choice brings its own fields by htmx carries the choice the server rendered.
// If the select shows another one when htmx is ready (chosen before the page had finished
// loading, or restored by the browser on « back »), the change was never sent: send it now,
// or the form would show the fields of one kind under the name of another.
htmx.onLoad(function (root) {
  root.querySelectorAll("select[data-rendered-value]").forEach(function (select) {
    if (select.value !== select.dataset.renderedValue) {
      htmx.trigger(select, "change");
    }
  });
});
