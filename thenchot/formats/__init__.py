"""Per-language date and number formats (settings.FORMAT_MODULE_PATH)."""
