// Article pages are cached whole and shared by every reader, so their comment form carries no
// CSRF token. When a reader starts on the form, fetch one (it sets the CSRF cookie) with a fresh
// "form shown at" time. Without JavaScript, or if this fails, the server answers the post with
// the form again, what was written kept and a token filled in (comments.views.csrf_failure).
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form || !form.dataset.tokenUrl) return;
  var token = form.querySelector('input[name="csrfmiddlewaretoken"]');
  var shownAt = form.querySelector('input[name="shown_at"]');
  var pending = null;

  function fetchToken() {
    if (token.value) return Promise.resolve();
    if (!pending) {
      pending = fetch(form.dataset.tokenUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error("token: " + response.status);
          return response.json();
        })
        .then(function (data) {
          token.value = data.csrfmiddlewaretoken;
          if (shownAt) shownAt.value = data.shown_at;
        })
        .catch(function () {
          pending = null;
        });
    }
    return pending;
  }

  form.addEventListener("focusin", fetchToken);
  form.addEventListener("submit", function (event) {
    if (token.value) return;
    event.preventDefault();
    // Sent either way: without a token the server keeps the comment in the form it returns.
    fetchToken().then(function () {
      form.submit();
    });
  });
})();
