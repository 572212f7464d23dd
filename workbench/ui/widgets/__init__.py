"""Widgets and drawing helpers that several tabs share (the lowest UI layer above the
document: they import no tab package)."""
