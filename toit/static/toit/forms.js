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

// A select whose choice brings its own fields by htmx carries the value whose fields the form
// shows (data-rendered-value, set by the server, then at each request htmx sends). If the
// select shows another one once htmx is ready (chosen before the page had finished loading, or
// restored by the browser on « back »), the change was never sent: send it now, or the form
// would show the fields of one kind under the name of another. htmx fires its first load event
// a moment after it starts listening: a choice made in that moment was sent already, and
// sending it twice would swap the fields again over what the user has begun to type.
document.body.addEventListener("htmx:beforeRequest", function (event) {
  var select = event.detail.elt;
  if (select.dataset && "renderedValue" in select.dataset) {
    select.dataset.renderedValue = select.value;
  }
});
htmx.onLoad(function (root) {
  root.querySelectorAll("select[data-rendered-value]").forEach(function (select) {
    if (select.value !== select.dataset.renderedValue) {
      htmx.trigger(select, "change");
    }
  });
});
