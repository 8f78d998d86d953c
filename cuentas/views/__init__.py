"""Views of the cuentas app: thin (parse, check permission, call one service or selector, render)."""
