// Asks before an action that cannot be undone by the person doing it (submit, finalize, reopen, return).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
