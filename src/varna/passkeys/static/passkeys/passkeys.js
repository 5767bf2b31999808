// Passkeys: asks the browser to make or use a WebAuthn credential, and posts its answer to Värna.
// A button with data-passkey="register" or "authenticate", data-options (URL of the challenge) and data-submit
// (URL for the answer); the page's CSRF token is read from its form. Errors are shown in the element
// named by data-errors. Without JavaScript or WebAuthn the button stays disabled and the page says why.
(function () {
  "use strict";
  function csrf(form) { return form.querySelector("input[name=csrfmiddlewaretoken]").value; }
  async function post(url, token, body) {
    const response = await fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": token, "Content-Type": "application/json"}, body: body});
    return [response.ok, await response.json()];
  }
  document.querySelectorAll("[data-passkey]").forEach(function (button) {
    if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) { return; }
    const form = button.closest("form");
    const errors = document.getElementById(button.dataset.errors);
    button.disabled = false;
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      errors.textContent = "";
      const token = csrf(form);
      try {
        const [ok, options] = await post(button.dataset.options, token, "{}");
        if (!ok) { errors.textContent = options.error; return; }
        let credential;
        if (button.dataset.passkey === "register") {
          credential = await navigator.credentials.create({publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options)});
        } else {
          credential = await navigator.credentials.get({publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options)});
        }
        const name = form.querySelector("input[name=name]");
        const url = button.dataset.submit + (name ? "?name=" + encodeURIComponent(name.value) : "");
        const [accepted, answer] = await post(url, token, JSON.stringify(credential.toJSON()));
        if (accepted) { window.location.assign(answer.redirect); } else { errors.textContent = answer.error; }
      } catch (error) {
        errors.textContent = button.dataset.cancelled;
      }
    });
  });
})();
