"""Small widgets shared by several pages (volunteer picker, charts, record tables, dates)."""
