"""The browser interface: `packbuilder serve` (README «For compliance officers: the browser»)."""
