// A field is checked as it is left (hx-trigger "blur changed"), and the answer replaces the whole field. When the
// person has typed in it again before a slow answer came, that answer is about the old value and would put the
// old value back: it is dropped. Leaving the field again checks the new value.
document.addEventListener("htmx:beforeRequest", function (event) {
  var field = event.detail.elt;
  if (field && "value" in field && field.name) field.dataset.checkedValue = field.value;
});
document.addEventListener("htmx:beforeSwap", function (event) {
  var field = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (field && field.dataset && "checkedValue" in field.dataset && field.isConnected &&
      field.value !== field.dataset.checkedValue) {
    event.detail.shouldSwap = false;
  }
});
