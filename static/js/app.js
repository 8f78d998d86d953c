// issscobros: small behaviours without inline scripts (the CSP allows only 'self').
document.addEventListener("click", function (evento) {
  if (evento.target.closest("[data-imprimir]")) {
    window.print();
  }
  const confirmar = evento.target.closest("[data-confirmar]");
  if (confirmar && !window.confirm(confirmar.getAttribute("data-confirmar"))) {
    evento.preventDefault();
  }
});
