// Small page behaviours that need no library: flash messages fade after a while.
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll(".flash-success, .flash-info")) {
    setTimeout(() => el.classList.add("flash-hide"), 6000);
  }
});

// htmx requests that fail must never look successful (htmx 2 swaps only 2xx answers).
// - A 4xx answer that is a fragment (the server's Russian refusal: an exam autosave after the
//   time limit, a QA verdict conflict ...) is swapped into its target like a success.
// - Any other failure (an error page, a 5xx, no connection) shows a Russian message: inside the
//   request's target when the requesting element or an ancestor carries
//   data-request-error="<classes of the message>", otherwise as an error flash on top.
//   data-unsaved="ответы не сохранены" names what was lost (default: изменения не сохранены /
//   данные не обновлены). The flash goes away after the next request that succeeds.
(() => {
  const FULL_PAGE = /^\s*<(!doctype|html)/i;
  const FLASH_ID = "request-error";

  const isRefusal = (xhr) =>
    xhr.status >= 400 && xhr.status < 500 && (xhr.responseText || "").trim() !== ""
    && !FULL_PAGE.test(xhr.responseText);

  const consequence = (detail, elt) => {
    const named = elt.closest && elt.closest("[data-unsaved]");
    if (named) return named.dataset.unsaved;
    const verb = (detail.requestConfig && detail.requestConfig.verb) || "get";
    return verb === "get" ? "данные не обновлены" : "изменения не сохранены";
  };

  // The error page's own words ("Доступ запрещён: …"), else the status code.
  const serverWords = (xhr) => {
    const doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    const title = doc.querySelector(".error-page h1");
    const text = doc.querySelector(".error-page h1 + p");
    if (title) return [title.textContent.trim(), text && text.textContent.trim()].filter(Boolean).join(": ");
    return `Сервер ответил ошибкой ${xhr.status}. Обновите страницу и повторите.`;
  };

  const show = (detail, elt, message) => {
    const holder = elt.closest && elt.closest("[data-request-error]");
    if (holder && detail.target) {
      const span = document.createElement("span");
      span.className = holder.dataset.requestError;
      span.setAttribute("role", "alert");
      span.textContent = message;
      detail.target.replaceChildren(span);
      return;
    }
    let flash = document.getElementById(FLASH_ID);
    if (!flash) {
      flash = document.createElement("div");
      flash.id = FLASH_ID;
      flash.className = "flash flash-error";
      flash.setAttribute("role", "alert");
      (document.getElementById("flashes") || document.body).prepend(flash);
    }
    flash.textContent = message;
  };

  const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

  document.addEventListener("htmx:beforeSwap", (e) => {
    if (isRefusal(e.detail.xhr)) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  document.addEventListener("htmx:responseError", (e) => {
    const lost = consequence(e.detail, e.target);
    show(e.detail, e.target, `${capital(lost)}. ${serverWords(e.detail.xhr)}`);
  });
  for (const name of ["htmx:sendError", "htmx:timeout"]) {
    document.addEventListener(name, (e) => {
      const lost = consequence(e.detail, e.target);
      show(e.detail, e.target, `Нет связи с сервером — ${lost}. Проверьте подключение к сети.`);
    });
  }
  document.addEventListener("htmx:afterRequest", (e) => {
    if (e.detail.successful) document.getElementById(FLASH_ID)?.remove();
  });
})();

// Scorecard weights: the total under the table follows what is typed, and says when it is not 100.
document.addEventListener("input", (event) => {
  const form = event.target.closest && event.target.closest("form[data-weights]");
  if (!form || !event.target.matches("[data-weight]")) return;
  let tenths = 0;
  for (const input of form.querySelectorAll("[data-weight]")) {
    tenths += Math.round(parseFloat(String(input.value).replace(",", ".")) * 10) || 0;
  }
  const out = form.querySelector("[data-weight-total]");
  out.textContent = (tenths / 10).toLocaleString("ru-RU", { maximumFractionDigits: 1 });
  out.classList.toggle("error", tenths !== 1000);
});
