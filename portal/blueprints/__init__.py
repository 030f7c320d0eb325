"""One package per area of the portal."""
